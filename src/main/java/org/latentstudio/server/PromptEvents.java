package org.latentstudio.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.latentstudio.exec.Display;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.NodeExecutionException;
import org.latentstudio.exec.Outputs;
import org.latentstudio.exec.RunResult;
import org.latentstudio.graph.NodeId;
import org.latentstudio.image.PngText;
import org.latentstudio.image.RgbImage;

/**
 * One prompt's run told to its ComfyUI client over the WebSocket, in the order ComfyUI's execution.py and
 * main.py send it: execution_start, execution_cached (the nodes served from the cache), executing and progress
 * per node, binary preview frames, executed for nodes that show something, then execution_success,
 * execution_error or execution_interrupted, the history entry, and last {@code executing} with node null.
 */
final class PromptEvents implements ExecutionListener {
  /** ComfyUI's protocol.py BinaryEventTypes.PREVIEW_IMAGE, and its image type JPEG. */
  static final int PREVIEW_IMAGE = 1;
  static final int JPEG = 1;

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final PromptRecord record;
  private final ClientHub hub;
  private final History history;
  private final ServerFolders folders;
  private final List<String> cached = new ArrayList<>();
  private final Set<String> executed = new LinkedHashSet<>();
  private final ObjectNode outputs = F.objectNode();
  private final ArrayNode messages = F.arrayNode();
  private boolean started;
  private boolean cachedSent;
  private String running;
  private NodeExecutionException failure;

  PromptEvents(PromptRecord record, ClientHub hub, History history, ServerFolders folders) {
    this.record = record;
    this.hub = hub;
    this.history = history;
    this.folders = folders;
  }

  private String id(NodeId n) {
    return record.comfyId(n);
  }

  @Override
  public void runStarted(int planned, int toRun) {
    started = true;
    message("execution_start", base(), true);
  }

  @Override
  public void nodeCached(NodeId node, String type) {
    cached.add(id(node));
  }

  private void flushCached() {
    if (!cachedSent) {
      cachedSent = true;
      ObjectNode d = base();
      ArrayNode list = d.putArray("nodes");
      cached.forEach(list::add);
      message("execution_cached", d, true);
    }
  }

  @Override
  public void nodeStarted(NodeId node, String type) {
    flushCached();
    running = id(node);
    ObjectNode d = F.objectNode();
    d.put("node", running);
    d.put("display_node", running);
    d.put("prompt_id", record.promptId());
    send("executing", d);
  }

  @Override
  public void progress(NodeId node, int step, int total) {
    ObjectNode d = F.objectNode();
    d.put("value", step);
    d.put("max", total);
    d.put("prompt_id", record.promptId());
    d.put("node", id(node));
    send("progress", d);
  }

  @Override
  public void preview(NodeId node, RgbImage image) {
    if (!hub.has(record.clientId())) {
      return;
    }
    try {
      ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
      jpeg.write(new byte[8]);
      ImageIO.write(image.toBufferedImage(), "jpeg", jpeg);
      byte[] frame = jpeg.toByteArray();
      ByteBuffer.wrap(frame).putInt(PREVIEW_IMAGE).putInt(JPEG);
      hub.sendBinary(record.clientId(), frame);
    } catch (IOException e) {
      // a preview that cannot be encoded is skipped; the run goes on
    }
  }

  @Override
  public void nodeFinished(NodeId node, String type, Outputs out, long nanos) {
    executed.add(id(node));
    executedMessage(id(node), out.display());
  }

  private void executedMessage(String node, Display display) {
    ObjectNode output = output(display);
    if (output.isEmpty()) {
      return;
    }
    outputs.set(node, output);
    ObjectNode d = F.objectNode();
    d.put("node", node);
    d.put("display_node", node);
    d.set("output", output);
    d.put("prompt_id", record.promptId());
    send("executed", d);
  }

  @Override
  public void nodeFailed(NodeExecutionException error) {
    failure = error;
  }

  @Override
  public void runFinished(RunResult result) {
    if (!started) {
      return; // taken off the queue before it began: ComfyUI forgets such prompts
    }
    flushCached();
    for (var e : result.outputs().entrySet()) {
      String node = id(e.getKey());
      if (!executed.contains(node) && record.outputs().contains(node)) {
        executedMessage(node, e.getValue().display()); // an output node served from the cache
      }
    }
    boolean ok = result.succeeded();
    switch (result.status()) {
      case SUCCEEDED -> message("execution_success", base(), true);
      case CANCELLED -> {
        ObjectNode d = base();
        d.put("node_id", running);
        d.put("node_type", running == null ? null : record.classType(running));
        d.set("executed", array(executed));
        message("execution_interrupted", d, true);
      }
      case FAILED, INVALID -> {
        ObjectNode d = base();
        String node = failure != null ? id(failure.nodeId()) : running;
        d.put("node_id", node);
        d.put("node_type", node == null ? null : record.classType(node));
        d.set("executed", array(executed));
        d.put("exception_message", result.failureMessage());
        d.put("exception_type", result.status() == RunResult.Status.FAILED ? "NodeExecutionError" : "ValidationError");
        d.putArray("traceback");
        d.putObject("current_inputs");
        d.putArray("current_outputs");
        message("execution_error", d, true);
      }
    }
    ObjectNode entry = F.objectNode();
    entry.set("prompt", record.asQueueItem());
    entry.set("outputs", outputs);
    ObjectNode status = entry.putObject("status");
    status.put("status_str", ok ? "success" : "error");
    status.put("completed", ok);
    status.set("messages", messages);
    ObjectNode meta = entry.putObject("meta");
    outputs.fieldNames().forEachRemaining(n -> {
      ObjectNode m = meta.putObject(n);
      m.put("node_id", n);
      m.put("display_node", n);
      m.putNull("parent_node");
      m.put("real_node_id", n);
    });
    history.put(record.promptId(), entry);
    ObjectNode done = F.objectNode();
    done.putNull("node");
    done.put("prompt_id", record.promptId());
    send("executing", done);
  }

  /** ComfyUI's ui output: saved pictures by file name and folder, others saved to temp; text as lines. */
  private ObjectNode output(Display display) {
    ObjectNode out = F.objectNode();
    if (!display.images().isEmpty()) {
      ArrayNode images = out.putArray("images");
      for (int i = 0; i < display.images().size(); i++) {
        Path file = i < display.files().size() ? display.files().get(i) : null;
        ObjectNode img = images.addObject();
        Path base = file != null && file.toAbsolutePath().normalize().startsWith(folders.output()) ? folders.output()
            : folders.temp();
        if (file == null || base == folders.temp()) {
          file = saveTemp(display.images().get(i));
        }
        if (file == null) {
          images.remove(images.size() - 1);
          continue;
        }
        Path rel = base.relativize(file.toAbsolutePath().normalize());
        img.put("filename", rel.getFileName().toString());
        img.put("subfolder", rel.getParent() == null ? "" : rel.getParent().toString().replace('\\', '/'));
        img.put("type", base == folders.output() ? "output" : "temp");
      }
    }
    if (!display.text().isEmpty()) {
      out.set("text", array(display.text()));
    }
    return out;
  }

  private Path saveTemp(RgbImage image) {
    Path file = folders.temp().resolve("latentstudio_temp_" + UUID.randomUUID().toString().substring(0, 8) + ".png");
    try {
      Files.createDirectories(folders.temp());
      try (OutputStream os = Files.newOutputStream(file)) {
        PngText.write(image, Map.of(), os);
      }
      return file;
    } catch (IOException e) {
      return null;
    }
  }

  private ObjectNode base() {
    ObjectNode d = F.objectNode();
    d.put("prompt_id", record.promptId());
    d.put("timestamp", System.currentTimeMillis());
    return d;
  }

  private static ArrayNode array(Iterable<String> items) {
    ArrayNode a = F.arrayNode();
    items.forEach(a::add);
    return a;
  }

  /** A status message: kept for the history entry and sent to the client. */
  private void message(String type, ObjectNode data, boolean keep) {
    if (keep) {
      messages.add(F.arrayNode().add(type).add(data));
    }
    send(type, data);
  }

  private void send(String type, ObjectNode data) {
    if (record.clientId() == null || !hub.has(record.clientId())) {
      return;
    }
    ObjectNode msg = F.objectNode();
    msg.put("type", type);
    msg.set("data", data);
    try {
      hub.send(record.clientId(), MAPPER.writeValueAsString(msg));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
