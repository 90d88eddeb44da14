package org.latentstudio.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A ComfyUI client in Java over real sockets: the JDK's HTTP client for the routes and its WebSocket client for
 * /ws, collecting every message (text as JSON, binary frames as bytes) in arrival order.
 */
public final class ComfyClient implements AutoCloseable {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** One WebSocket message: JSON text, or a binary frame. */
  public record Message(JsonNode json, byte[] binary) {
    public String type() {
      return json == null ? "binary" : json.path("type").asText();
    }

    public JsonNode data() {
      return json.path("data");
    }
  }

  /** An HTTP answer. */
  public record Answer(int status, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() throws Exception {
      return MAPPER.readTree(body);
    }
  }

  final String base;
  final String clientId;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
  private final List<Message> seen = new ArrayList<>();
  private WebSocket ws;

  public ComfyClient(String base, String clientId) {
    this.base = base;
    this.clientId = clientId;
  }

  private final java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();

  public ComfyClient connect() throws Exception {
    ws = http.newWebSocketBuilder().buildAsync(URI.create(base.replace("http", "ws") + "/ws?clientId=" + clientId),
        new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();
          private java.io.ByteArrayOutputStream bin = new java.io.ByteArrayOutputStream();

          @Override
          public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              try {
                inbox.add(new Message(MAPPER.readTree(text.toString()), null));
              } catch (Exception e) {
                inbox.add(new Message(MAPPER.createObjectNode().put("type", "unparsable").put("text", text.toString()),
                    null));
              }
              text.setLength(0);
            }
            w.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
            closed.complete(status);
            return null;
          }

          @Override
          public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            bin.writeBytes(b);
            if (last) {
              inbox.add(new Message(null, bin.toByteArray()));
              bin = new java.io.ByteArrayOutputStream();
            }
            w.request(1);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    return this;
  }

  /** Waits for a message that matches, keeping all messages seen on the way. */
  public Message await(Predicate<Message> wanted, long seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = end - System.nanoTime();
      Message m = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
      if (m == null) {
        throw new AssertionError("no such message within " + seconds + " s; seen: " + types());
      }
      seen.add(m);
      if (wanted.test(m)) {
        return m;
      }
    }
  }

  /** Waits for {@code executing} with node null for this prompt: the end of its run. */
  public Message awaitDone(String promptId, long seconds) throws Exception {
    return await(m -> m.type().equals("executing") && m.data().path("node").isNull()
        && m.data().path("prompt_id").asText().equals(promptId), seconds);
  }

  List<Message> seen() {
    return seen;
  }

  List<String> types() {
    return seen.stream().map(Message::type).toList();
  }

  public Answer get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public Answer post(String path, String body) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Answer send(HttpRequest.Builder b) throws Exception {
    HttpResponse<byte[]> r = http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Answer(r.statusCode(), r.body());
  }

  /** POST /prompt as ComfyUI's websocket example does: the prompt, our client id and a prompt id. */
  public Answer queue(JsonNode prompt, String promptId) throws Exception {
    var body = MAPPER.createObjectNode();
    body.set("prompt", prompt);
    body.put("client_id", clientId);
    if (promptId != null) {
      body.put("prompt_id", promptId);
    }
    return post("/prompt", body.toString());
  }

  /** ComfyUI's script_examples prompt (its default workflow) with the checkpoint "shapes" and the size 64. */
  public static ObjectNode examplePrompt(long seed) {
    ObjectNode p = MAPPER.createObjectNode();
    node(p, "3", "KSampler").put("cfg", 8).put("denoise", 1).put("sampler_name", "euler").put("scheduler", "normal")
        .put("seed", seed).put("steps", 20).set("latent_image", link("5", 0));
    ((ObjectNode) p.get("3").get("inputs")).set("model", link("4", 0));
    ((ObjectNode) p.get("3").get("inputs")).set("negative", link("7", 0));
    ((ObjectNode) p.get("3").get("inputs")).set("positive", link("6", 0));
    node(p, "4", "CheckpointLoaderSimple").put("ckpt_name", "shapes");
    node(p, "5", "EmptyLatentImage").put("batch_size", 1).put("height", 64).put("width", 64);
    node(p, "6", "CLIPTextEncode").put("text", "a large red circle in the center, white background")
        .set("clip", link("4", 1));
    node(p, "7", "CLIPTextEncode").put("text", "bad hands").set("clip", link("4", 1));
    node(p, "8", "VAEDecode").set("samples", link("3", 0));
    ((ObjectNode) p.get("8").get("inputs")).set("vae", link("4", 2));
    node(p, "9", "SaveImage").put("filename_prefix", "ComfyUI").set("images", link("8", 0));
    return p;
  }

  static ObjectNode node(ObjectNode prompt, String id, String type) {
    ObjectNode n = prompt.putObject(id);
    n.put("class_type", type);
    return n.putObject("inputs");
  }

  static JsonNode link(String id, int slot) {
    return MAPPER.createArrayNode().add(id).add(slot);
  }

  /** Closes the socket as a browser does, and waits for the server's close in reply; its status code. */
  public int closeNormally(long seconds) throws Exception {
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(seconds, TimeUnit.SECONDS);
    return closed.get(seconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (ws != null) {
      ws.abort();
    }
  }
}
