package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.NodeId;
import org.latentstudio.ui.run.RunEntry;

/**
 * Run → Serve ComfyUI API in the studio: the status bar shows the port, a client's prompt runs on the studio's
 * queue and shows in its Queue tab and gallery without touching the canvas, and the studio's own runs reach the
 * server's history.
 */
class StudioServerTest extends StudioTestBase {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stopServer() {
    fx(() -> {
      studio.serveApi(false);
      return null;
    });
    System.clearProperty("latentstudio.server.port");
  }

  private String post(String url, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).POST(
        HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  @Test
  void clientPromptsRunOnTheStudiosQueueAndShowInItsQueueTab() throws Exception {
    System.setProperty("latentstudio.server.port", "0");
    fx(() -> {
      studio.serveApi(true);
      return null;
    });
    String url = fx(() -> studio.server().url());
    assertTrue(fx(studio::statusText).contains("Serving ComfyUI's API at " + url), fx(studio::statusText));
    String label = fx(() -> studio.stage().getScene().lookup("#server-status") instanceof javafx.scene.control.Label l
        ? l.getText() : "");
    assertEquals("ComfyUI API :" + URI.create(url).getPort(), label);

    String prompt = "{\"client_id\": \"script-1\", \"prompt\": {"
        + "\"1\": {\"class_type\": \"TestSampler\", \"inputs\": {\"seed\": 3, \"steps\": 6, \"step_ms\": 10}},"
        + "\"2\": {\"class_type\": \"TestSaveImage\", \"inputs\": {\"filename_prefix\": \"client\","
        + " \"images\": [\"1\", 0]}}}}";
    String id = new ObjectMapper().readTree(post(url + "/prompt", prompt)).path("prompt_id").asText();
    waitUntil("the client's prompt in the Queue tab", () -> studio.runs().entries().stream()
        .anyMatch(RunEntry::fromClient));
    RunEntry entry = fx(() -> studio.runs().entries().stream().filter(RunEntry::fromClient).findFirst().orElseThrow());
    assertEquals("ComfyUI client script-1", entry.name());
    waitUntil("its end", entry::isFinished);
    assertEquals(RunEntry.Status.SUCCEEDED, fx(entry::status));
    assertEquals(1, fx(() -> studio.gallery().list().getItems().size()), "its picture in the gallery");
    assertTrue(fx(() -> studio.runs().problems().isEmpty()));
    waitUntil("its history", () -> history(url).contains(id));

    // the studio's own run, with the server on, goes through the same queue into the server's history
    Graph g = Graph.empty()
        .withNode(DemoGraphs.node("sampler", "TestSampler", 40, 40, 280, 0, Map.of("steps", 2L, "step_ms", 1L)))
        .withNode(DemoGraphs.node("save", "TestSaveImage", 400, 40, 240, 0, Map.of("filename_prefix", "own")))
        .withLink(Link.of("sampler", "IMAGE", "save", "images"));
    fx(() -> {
      studio.document().load(org.latentstudio.io.Workflow.of(g), null, true);
      return null;
    });
    RunEntry own = fx(studio::run);
    waitUntil("the studio's run", own::isFinished);
    assertEquals(RunEntry.Status.SUCCEEDED, fx(own::status));
    waitUntil("the studio's run in the server's history", () -> history(url).split("\"status_str\"").length == 3);
    assertEquals(org.latentstudio.ui.canvas.NodeRunState.Phase.DONE,
        fx(() -> canvas().runState(NodeId.of("sampler")).phase()));

    fx(() -> {
      studio.serveApi(false);
      return null;
    });
    assertNull(fx(() -> studio.server().url()));
  }

  private String history(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url + "/history")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      return "";
    }
  }
}
