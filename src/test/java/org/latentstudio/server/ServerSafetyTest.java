package org.latentstudio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.exec.Executor;
import org.latentstudio.exec.OutputCache;
import org.latentstudio.exec.Services;
import org.latentstudio.nodes.BuiltinNodes;
import org.latentstudio.runtime.ModelLibrary;

/**
 * What a client may not do: reach outside the input, output and temp folders through /view or /upload (with
 * "..", absolute paths, encoded separators or a symlink that leads out), send bodies past the limits, or get a
 * 500 with a stack trace for a malformed request. Runs no model.
 */
class ServerSafetyTest {
  static ComfyServer server;
  static ServerFolders folders;
  static Executor executor;
  static ComfyClient c;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    folders = new ServerFolders(dir.resolve("input"), dir.resolve("output"), dir.resolve("temp"));
    folders.create();
    Files.writeString(dir.resolve("secret.txt"), "the secret");
    Files.writeString(folders.output().resolve("ok.png"), "picture");
    Files.createDirectories(folders.output().resolve("sub"));
    Files.writeString(folders.output().resolve("sub/deep.png"), "deep");
    Files.createSymbolicLink(folders.output().resolve("link.png"), dir.resolve("secret.txt"));
    Files.createSymbolicLink(folders.output().resolve("outdir"), dir);
    executor = new Executor(BuiltinNodes.registry(), new OutputCache(1 << 20), new Services());
    server = new ComfyServer(executor, new ModelLibrary(List.of(dir.resolve("models"))), folders, "127.0.0.1", 0,
        "test").start();
    c = new ComfyClient(server.url(), "safety");
  }

  @AfterAll
  static void stop() {
    server.close();
    executor.close();
  }

  @Test
  void viewServesItsFoldersAndNothingElse() throws Exception {
    assertEquals(200, c.get("/view?filename=ok.png&type=output").status());
    assertEquals("deep", c.get("/view?filename=deep.png&subfolder=sub&type=output").text());
    assertEquals(200, c.get("/api/view?filename=ok.png&type=output").status(), "the /api prefix works too");
    for (String q : List.of("filename=../secret.txt&type=output", "filename=secret.txt&subfolder=..&type=output",
        "filename=secret.txt&subfolder=sub/../..&type=output", "filename=%2E%2E%2Fsecret.txt&type=output",
        "filename=..%2Fsecret.txt&type=output", "filename=..%5Csecret.txt&type=output",
        "filename=" + dir.resolve("secret.txt") + "&type=output", "filename=secret.txt&subfolder=" + dir + "&type=output",
        "filename=ok.png&type=../../", "filename=ok.png%00.txt&type=output")) {
      ComfyClient.Answer a = c.get("/view?" + q);
      assertEquals(400, a.status(), q + " -> " + a.text());
      assertFalse(a.text().contains("the secret"), q);
      assertTrue(a.json().path("error").path("message").isTextual(), "a message, as JSON: " + a.text());
    }
    ComfyClient.Answer link = c.get("/view?filename=link.png&type=output");
    assertEquals(403, link.status(), "a symlink out of the folder: " + link.text());
    ComfyClient.Answer dirLink = c.get("/view?filename=secret.txt&subfolder=outdir&type=output");
    assertEquals(403, dirLink.status(), "a folder symlink out: " + dirLink.text());
    assertEquals(404, c.get("/view?filename=nothing.png&type=output").status());
    assertEquals(400, c.get("/view/..%2F..%2Fsecret.txt").status(), "an encoded separator in the path itself");
  }

  @Test
  void uploadsStayInTheirFolder() throws Exception {
    byte[] png = Files.readAllBytes(Path.of("assets/inputs/red-circle.png"));
    for (String[] bad : new String[][] {{"../evil.png", ""}, {"evil.png", "../.."}, {"evil.png", "/tmp"},
        {"..\\evil.png", ""}, {"evil.png", "a/../../.."}}) {
      ComfyClient.Answer a = Uploads.upload(c, bad[0], png, bad[1]);
      assertEquals(400, a.status(), String.join(" in ", bad) + " -> " + a.text());
    }
    assertEquals(400, Uploads.upload(c, "evil.png", png, "", "../output").status(), "a made-up folder type");
    assertEquals(403, Uploads.upload(c, "evil.png", png, "outdir", "output").status(), "through a symlinked folder");
    try (var files = Files.walk(dir)) {
      assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains("evil")).toList());
    }
    ComfyClient.Answer fine = Uploads.upload(c, "fine.png", png, "nested/deeper");
    assertEquals(200, fine.status(), fine.text());
    assertTrue(Files.isRegularFile(folders.input().resolve("nested/deeper/fine.png")));
    ComfyClient.Answer again = Uploads.upload(c, "fine.png", new byte[] {1, 2, 3}, "nested/deeper");
    assertEquals("fine (1).png", again.json().path("name").asText(), "another picture under a taken name");
  }

  @Test
  void malformedRequestsGetA400WithAMessage() throws Exception {
    for (String body : List.of("", "not json", "[1, 2]", "{\"prompt\": 5}", "{\"prompt\": {\"1\": 5}}",
        "{\"prompt\": {\"1\": {\"class_type\": \"KSampler\", \"inputs\": [1]}}}", "{\"prompt\": {\"1\": {}}}",
        "{\"prompt\": {\"1\": {\"class_type\": \"SaveImage\", \"inputs\": {\"images\": [\"9\", 0]}}}}",
        "{\"prompt\": {\"1\": {\"class_type\": \"SaveImage\", \"inputs\": {\"images\": [\"1\", 0]}}}}",
        "{\"prompt\": {\"1\": {\"class_type\": \"EmptyLatentImage\", \"inputs\": {\"width\": \"wide\"}}}}")) {
      ComfyClient.Answer a = c.post("/prompt", body);
      assertEquals(400, a.status(), body + " -> " + a.text());
      assertTrue(a.json().path("error").isObject(), body + " -> " + a.text());
    }
    assertEquals(400, c.post("/queue", "{oops").status());
    assertEquals(400, c.post("/queue", "{\"delete\": 5}").status());
    assertEquals(400, c.post("/history", "[]").status());
    assertEquals(400, c.get("/history?max_items=many").status());
    assertEquals(200, c.post("/interrupt", "not json").status(), "ComfyUI reads that as: interrupt whatever runs");
    assertEquals(404, c.get("/nothing/here").status());
    assertEquals(404, c.get("/models/secrets").status());
    assertEquals(405, c.get("/upload/image").status());
    assertEquals(400, c.send(HttpRequest.newBuilder(URI.create(c.base + "/upload/image"))
        .header("Content-Type", "multipart/form-data; boundary=xyz")
        .POST(HttpRequest.BodyPublishers.ofString("--xyz\r\ngarbage"))).status());
    assertEquals(400, c.send(HttpRequest.newBuilder(URI.create(c.base + "/upload/image"))
        .POST(HttpRequest.BodyPublishers.ofString("plain text"))).status());
  }

  @Test
  void bodiesPastTheLimitsAreRefusedWithout500() throws Exception {
    String big = "{\"prompt\": {\"x\": \"" + "a".repeat((int) ApiHandler.JSON_LIMIT) + "\"}}";
    assertEquals(413, c.post("/prompt", big).status());
    // a body longer than its Content-Length claims, straight on the socket
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /prompt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 999999999999\r\n\r\n{")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertEquals("HTTP/1.1 413", head);
    }
  }

  @Test
  void aPageFromAnotherSiteCannotUseTheServer() throws Exception {
    ComfyClient.Answer a = c.send(HttpRequest.newBuilder(URI.create(c.base + "/prompt"))
        .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertEquals(403, a.status());
    ComfyClient.Answer same = c.send(HttpRequest.newBuilder(URI.create(c.base + "/queue"))
        .header("Origin", c.base).GET());
    assertEquals(200, same.status(), "the server's own origin is fine");
  }

  @Test
  void theInfoRoutesAnswerInComfyShape() throws Exception {
    var info = c.get("/object_info").json();
    assertEquals(List.of("model", "seed", "steps", "cfg", "sampler_name", "scheduler", "positive", "negative",
        "latent_image", "denoise"), iterate(info.path("KSampler").path("input_order").path("required")));
    assertTrue(info.path("KSampler").path("input").path("required").path("seed").path(1)
        .path("control_after_generate").asBoolean());
    assertEquals("eta", info.path("KSampler").path("input_order").path("optional").path(0).asText());
    assertEquals("MODEL", info.path("CheckpointLoaderSimple").path("output").path(0).asText());
    assertTrue(info.path("SaveImage").path("output_node").asBoolean());
    assertTrue(info.has("IntMath"), "our own nodes too, by our ids");
    assertEquals(1, c.get("/object_info/KSampler").json().size());
    assertTrue(c.get("/system_stats").json().path("devices").isArray());
    assertEquals("[]", c.get("/embeddings").text());
    assertEquals("[]", c.get("/models/checkpoints").text());
    assertEquals(0, c.get("/prompt").json().path("exec_info").path("queue_remaining").asInt());
  }

  static List<String> iterate(com.fasterxml.jackson.databind.JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
