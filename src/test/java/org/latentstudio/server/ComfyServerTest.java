package org.latentstudio.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.app.AppContext;
import org.latentstudio.image.PngText;

/**
 * The server over real sockets, driven as ComfyUI's websocket example drives ComfyUI: queue a prompt, follow its
 * messages and preview frames to {@code executing} with node null, then fetch the history and the picture. Also
 * interrupting a long run, a bad prompt's node_errors, a fully cached prompt, and uploads used by LoadImage.
 */
class ComfyServerTest {
  static AppContext app;
  static ComfyServer server;
  static ServerFolders folders;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    app = new AppContext();
    folders = new ServerFolders(dir.resolve("input"), dir.resolve("output"), dir.resolve("temp"));
    folders.create();
    server = new ComfyServer(app.executor(), app.models(), folders, "127.0.0.1", 0, "test").start();
  }

  @AfterAll
  static void stop() {
    server.close();
    app.close();
  }

  static ComfyClient client() throws Exception {
    return new ComfyClient(server.url(), UUID.randomUUID().toString()).connect();
  }

  /** A client that closes its socket gets the server's close in reply and is forgotten. */
  @Test
  void aClientThatClosesItsSocketIsForgotten() throws Exception {
    ComfyClient c = client();
    c.await(m -> m.type().equals("status"), 10);
    assertTrue(server.connected(c.clientId));
    assertEquals(1000, c.closeNormally(10), "the server's reply to a normal close");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (server.connected(c.clientId) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertFalse(server.connected(c.clientId), "the session is still kept after the client closed it");
  }

  @Test
  void theWebsocketExampleGetsItsPicture() throws Exception {
    try (ComfyClient c = client()) {
      ComfyClient.Message hello = c.await(m -> m.type().equals("status"), 10);
      assertEquals(c.clientId, hello.data().path("sid").asText(), "the first message names the session");
      String id = UUID.randomUUID().toString();
      ComfyClient.Answer queued = c.queue(ComfyClient.examplePrompt(5), id);
      assertEquals(200, queued.status(), queued.text());
      assertEquals(id, queued.json().path("prompt_id").asText());
      assertTrue(queued.json().path("node_errors").isObject() && queued.json().path("node_errors").isEmpty());
      assertTrue(queued.json().path("number").isNumber());

      c.awaitDone(id, 120);
      List<String> types = c.types();
      assertTrue(types.indexOf("execution_start") < types.indexOf("execution_cached"), types.toString());
      assertTrue(types.indexOf("execution_cached") < types.indexOf("executing"), types.toString());
      assertTrue(types.contains("progress") && types.contains("executed") && types.contains("execution_success"),
          types.toString());
      assertTrue(types.indexOf("execution_success") < types.lastIndexOf("executing"));
      ComfyClient.Message progress = c.seen().stream().filter(m -> m.type().equals("progress")
          && m.data().path("max").asInt() == 20).reduce((a, b) -> b).orElseThrow();
      assertEquals("3", progress.data().path("node").asText(), "the sampler's steps, by ComfyUI's node id");
      assertEquals(20, progress.data().path("value").asInt());
      byte[] frame = c.seen().stream().filter(m -> m.binary() != null).findFirst().orElseThrow().binary();
      ByteBuffer head = ByteBuffer.wrap(frame);
      assertEquals(1, head.getInt(), "event type PREVIEW_IMAGE");
      assertEquals(1, head.getInt(), "image type JPEG");
      assertEquals(64 / 8, ImageIO.read(new ByteArrayInputStream(frame, 8, frame.length - 8)).getWidth(),
          "a JPEG of the picture as it forms, at the latent's size as ComfyUI's latent previews");
      assertTrue(c.seen().stream().anyMatch(m -> m.type().equals("executing")
          && m.data().path("node").asText().equals("3")));

      JsonNode history = c.get("/history/" + id).json().path(id);
      assertEquals("success", history.path("status").path("status_str").asText());
      JsonNode image = history.path("outputs").path("9").path("images").path(0);
      assertEquals("output", image.path("type").asText());
      ComfyClient.Answer png = c.get("/view?filename=" + image.path("filename").asText() + "&subfolder="
          + image.path("subfolder").asText() + "&type=output");
      assertEquals(200, png.status());
      assertArrayEquals(Files.readAllBytes(folders.output().resolve(image.path("filename").asText())), png.body());
      var chunks = PngText.read(png.body());
      assertEquals(ComfyClient.examplePrompt(5).toString(), ComfyClient.MAPPER.readTree(chunks.get("prompt")).toString(),
          "the prompt as run");
      assertTrue(chunks.get("workflow").contains("\"last_node_id\""), "and a workflow ComfyUI opens");
      assertTrue(chunks.containsKey("latentstudio"), "and ours");
      assertEquals(64, ImageIO.read(new ByteArrayInputStream(png.body())).getHeight());
    }
  }

  @Test
  void aPromptWhoseNodesAreAllCachedRunsNothingAgain() throws Exception {
    try (ComfyClient c = client()) {
      String first = UUID.randomUUID().toString();
      c.queue(ComfyClient.examplePrompt(77), first);
      c.awaitDone(first, 120);
      String second = UUID.randomUUID().toString();
      assertEquals(200, c.queue(ComfyClient.examplePrompt(77), second).status());
      c.awaitDone(second, 30);
      ComfyClient.Message cached = c.seen().stream().filter(m -> m.type().equals("execution_cached")
          && m.data().path("prompt_id").asText().equals(second)).findFirst().orElseThrow();
      assertEquals(7, cached.data().path("nodes").size(), cached.toString());
      assertFalse(c.seen().stream().anyMatch(m -> m.type().equals("progress")
          && m.data().path("prompt_id").asText().equals(second)), "no step ran");
      assertTrue(c.seen().stream().anyMatch(m -> m.type().equals("executed")
          && m.data().path("prompt_id").asText().equals(second)), "the cached picture is still reported");
      assertEquals(c.get("/history/" + first).json().path(first).path("outputs"),
          c.get("/history/" + second).json().path(second).path("outputs"));
    }
  }

  @Test
  void interruptStopsALongRunWithinAStep() throws Exception {
    try (ComfyClient c = client()) {
      ObjectNode prompt = ComfyClient.examplePrompt(9);
      ((ObjectNode) prompt.get("3").get("inputs")).put("steps", 5000);
      String id = UUID.randomUUID().toString();
      assertEquals(200, c.queue(prompt, id).status());
      c.await(m -> m.type().equals("progress") && m.data().path("node").asText().equals("3")
          && m.data().path("value").asInt() >= 2, 60);
      JsonNode queue = c.get("/queue").json();
      assertEquals(id, queue.path("queue_running").path(0).path(1).asText(), queue.toString());
      long t0 = System.nanoTime();
      assertEquals(200, c.post("/interrupt", "").status());
      ComfyClient.Message stopped = c.await(m -> m.type().equals("execution_interrupted"), 30);
      assertTrue((System.nanoTime() - t0) / 1e9 < 10, "it stops within a step, not after 5000");
      assertEquals("3", stopped.data().path("node_id").asText());
      assertEquals("KSampler", stopped.data().path("node_type").asText());
      c.awaitDone(id, 10);
      assertEquals("error", c.get("/history/" + id).json().path(id).path("status").path("status_str").asText());
      assertEquals(0, c.get("/queue").json().path("queue_running").size());
    }
  }

  @Test
  void aBadPromptGetsNodeErrorsAndIsNotQueued() throws Exception {
    try (ComfyClient c = client()) {
      ObjectNode prompt = ComfyClient.examplePrompt(1);
      ObjectNode sampler = (ObjectNode) prompt.get("3").get("inputs");
      sampler.put("steps", 0).put("sampler_name", "dpmpp_3m_sde");
      sampler.remove("positive");
      ((ObjectNode) prompt.get("4").get("inputs")).put("ckpt_name", "v1-5-pruned-emaonly.safetensors");
      ComfyClient.Answer a = c.queue(prompt, null);
      assertEquals(400, a.status(), a.text());
      JsonNode errors = a.json().path("node_errors");
      assertEquals("prompt_outputs_failed_validation", a.json().path("error").path("type").asText());
      JsonNode ks = errors.path("3");
      assertEquals("KSampler", ks.path("class_type").asText());
      assertEquals(List.of("9"), List.of(ks.path("dependent_outputs").path(0).asText()));
      List<String> kinds = new java.util.ArrayList<>();
      ks.path("errors").forEach(e -> kinds.add(e.path("type").asText() + ":" + e.path("extra_info").path("input_name")
          .asText()));
      assertTrue(kinds.containsAll(List.of("value_smaller_than_min:steps", "value_not_in_list:sampler_name",
          "required_input_missing:positive")), kinds.toString());
      JsonNode ckpt = errors.path("4").path("errors").path(0);
      assertEquals("value_not_in_list", ckpt.path("type").asText());
      assertEquals("ckpt_name", ckpt.path("extra_info").path("input_name").asText(), "ComfyUI's input name");
      assertTrue(ckpt.path("details").asText().contains("shapes"), "the message lists what there is");
      assertEquals(0, c.get("/queue").json().path("queue_pending").size());

      ComfyClient.Answer unknown = c.queue(ComfyClient.MAPPER.readTree(
          "{\"1\": {\"class_type\": \"UpscaleModelLoader\", \"inputs\": {\"model_name\": \"x.pth\"}},"
              + " \"2\": {\"class_type\": \"SaveImage\", \"inputs\": {\"images\": [\"1\", 0]}}}"), null);
      assertEquals(400, unknown.status());
      assertEquals("invalid_prompt", unknown.json().path("node_errors").path("1").path("errors").path(0).path("type")
          .asText(), unknown.text());
      assertEquals(400, c.post("/prompt", "{\"client_id\": \"x\"}").status(), "no prompt");
      assertEquals("no_prompt", c.post("/prompt", "{}").json().path("error").path("type").asText());
    }
  }

  @Test
  void aNodeThatFailsIsAnExecutionErrorNamingIt() throws Exception {
    try (ComfyClient c = client()) {
      assertEquals(200, Uploads.upload(c, "broken.png", "not a picture".getBytes(), "").status());
      ObjectNode prompt = (ObjectNode) ComfyClient.MAPPER.readTree(
          Files.readString(Path.of("src/test/resources/comfy/img2img.api.json")));
      ((ObjectNode) prompt.get("10").get("inputs")).put("image", "broken.png");
      String id = UUID.randomUUID().toString();
      assertEquals(200, c.queue(prompt, id).status(), "it is a file in the input folder: valid until read");
      ComfyClient.Message error = c.await(m -> m.type().equals("execution_error"), 60);
      assertEquals("10", error.data().path("node_id").asText());
      assertEquals("LoadImage", error.data().path("node_type").asText());
      assertTrue(error.data().path("exception_message").asText().contains("broken.png"),
          error.data().toString());
      c.awaitDone(id, 10);
      assertEquals("error", c.get("/history/" + id).json().path(id).path("status").path("status_str").asText());
    }
  }

  @Test
  void anUploadedPictureFeedsLoadImageAndNothingOutsideTheInputFolderDoes() throws Exception {
    try (ComfyClient c = client()) {
      byte[] png = Files.readAllBytes(Path.of("assets/inputs/red-circle.png"));
      ComfyClient.Answer up = Uploads.upload(c, "red.png", png, "");
      assertEquals(200, up.status(), up.text());
      assertEquals("red.png", up.json().path("name").asText());
      assertEquals("input", up.json().path("type").asText());
      assertEquals("red.png", Uploads.upload(c, "red.png", png, "").json().path("name").asText(),
          "the same picture again is not copied");

      ObjectNode prompt = (ObjectNode) ComfyClient.MAPPER.readTree(
          Files.readString(Path.of("src/test/resources/comfy/img2img.api.json")));
      ((ObjectNode) prompt.get("10").get("inputs")).put("image", "red.png");
      String id = UUID.randomUUID().toString();
      assertEquals(200, c.queue(prompt, id).status());
      c.awaitDone(id, 120);
      assertEquals("success", c.get("/history/" + id).json().path(id).path("status").path("status_str").asText());

      for (String outside : List.of("/etc/passwd", "../output/x.png", "assets/inputs/red-circle.png",
          "red.png [../temp]")) {
        ((ObjectNode) prompt.get("10").get("inputs")).put("image", outside);
        ComfyClient.Answer a = c.queue(prompt, null);
        assertEquals(400, a.status(), outside);
        assertEquals("image", a.json().path("node_errors").path("10").path("errors").path(0).path("extra_info")
            .path("input_name").asText(), outside + ": " + a.text());
      }
    }
  }
}
