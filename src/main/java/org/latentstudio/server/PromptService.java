package org.latentstudio.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.latentstudio.exec.Executor;
import org.latentstudio.exec.GraphValidationException;
import org.latentstudio.exec.Planner;
import org.latentstudio.exec.QueuedRun;
import org.latentstudio.exec.RunQueue;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Problem;
import org.latentstudio.interop.WorkflowFiles;
import org.latentstudio.interop.comfy.ComfyPromptReader;
import org.latentstudio.interop.comfy.ComfyPromptWriter;
import org.latentstudio.interop.comfy.ComfyWorkflowWriter;
import org.latentstudio.interop.comfy.Imported;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.io.WorkflowFormatException;
import org.latentstudio.runtime.ModelLibrary;

/**
 * The server's prompts: {@code POST /prompt} checks a prompt as ComfyUI does before queueing it (answering
 * {@code node_errors} with our messages), and queues it on the executor's shared {@link RunQueue}; the queue and
 * history answers; clearing, deleting and interrupting. Every run in the queue, the studio's too, ends up in the
 * history.
 */
final class PromptService {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final ObjectMapper mapper = new ObjectMapper();
  private final WorkflowCodec codec = new WorkflowCodec();
  private final ComfyPromptReader reader;
  private final ComfyWorkflowWriter uiWriter;
  private final Executor executor;
  private final ModelLibrary models;
  private final ServerFolders folders;
  private final ClientHub hub;
  private final History history = new History();
  private final PromptGuard guard;
  private final Planner planner;
  private final RunSettings settings;
  private final AtomicLong numbers = new AtomicLong();
  private final RunQueue.Observer observer;

  /** An answer with its status. */
  record Reply(int status, JsonNode body) {}

  PromptService(Executor executor, ModelLibrary models, ServerFolders folders, ClientHub hub) {
    this.executor = executor;
    this.models = models;
    this.folders = folders;
    this.hub = hub;
    this.guard = new PromptGuard(executor.registry(), models, folders);
    this.planner = new Planner(executor.registry());
    // model names are checked by the guard, which also keeps them to names in the models folders
    this.reader = new ComfyPromptReader(executor.registry(), null);
    this.uiWriter = new ComfyWorkflowWriter(executor.registry());
    this.settings = RunSettings.defaults(folders.output());
    this.observer = new RunQueue.Observer() {
      @Override
      public void queued(QueuedRun run) {
        if (!(run.tag() instanceof PromptRecord)) {
          recordStudioRun(run);
        }
      }

      @Override
      public void changed() {
        broadcastStatus();
      }
    };
    executor.queue().addObserver(observer);
  }

  void close() {
    executor.queue().removeObserver(observer);
  }

  History history() {
    return history;
  }

  Reply submit(JsonNode body) throws BadRequest {
    if (body == null || !body.isObject()) {
      throw BadRequest.of("the body must be a JSON object such as {\"prompt\": {...}, \"client_id\": \"...\"}");
    }
    JsonNode prompt = body.get("prompt");
    if (prompt == null || !prompt.isObject() || prompt.isEmpty()) {
      ObjectNode out = F.objectNode();
      ObjectNode error = out.putObject("error");
      error.put("type", "no_prompt");
      error.put("message", "No prompt provided");
      error.put("details", "the body needs a \"prompt\": {node_id: {\"class_type\": ..., \"inputs\": {...}}}");
      error.putObject("extra_info");
      out.putObject("node_errors");
      return new Reply(400, out);
    }
    String promptId = body.hasNonNull("prompt_id") ? body.get("prompt_id").asText() : java.util.UUID.randomUUID().toString();
    String clientId = body.hasNonNull("client_id") ? body.get("client_id").asText() : null;
    ObjectNode extra = body.path("extra_data").isObject() ? ((ObjectNode) body.get("extra_data")).deepCopy()
        : F.objectNode();
    if (clientId != null) {
      extra.put("client_id", clientId);
    }
    Imported imported;
    try {
      imported = reader.read(prompt, "the prompt");
    } catch (WorkflowFormatException e) {
      return invalid("invalid_prompt", e.getMessage());
    }
    PromptGuard.Checked checked = guard.check(imported.workflow().graph());
    Graph graph = checked.graph();
    List<Problem> problems = new ArrayList<>(imported.notes());
    problems.addAll(checked.problems());
    List<String> outputs = new ArrayList<>();
    for (var n : graph.nodeList()) {
      if (executor.registry().schema(n.type()).map(s -> s.outputNode()).orElse(false)) {
        outputs.add(imported.comfyId(n.id())); // ComfyUI's outputs_to_execute, and what each error holds up
      }
    }
    try {
      planner.plan(graph, Set.of());
    } catch (GraphValidationException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      return new Reply(400, NodeErrors.response(dedupe(problems), imported, prompt, outputs));
    }
    long number = numbers.getAndIncrement();
    PromptRecord record = new PromptRecord(number, promptId, prompt.deepCopy(), extra, outputs, clientId, imported);
    RunRequest request = new RunRequest(graph, Set.of(), settings, codec.write(imported.workflow()),
        pictureText(prompt, extra, imported.workflow()));
    try {
      executor.queue().submit(request, clientId == null ? "" : clientId, promptId, record,
          new PromptEvents(record, hub, history, folders));
    } catch (IllegalArgumentException e) {
      throw BadRequest.of("prompt_id " + promptId + " is already queued; use a new id");
    }
    ObjectNode out = F.objectNode();
    out.put("prompt_id", promptId);
    out.put("number", number);
    out.putObject("node_errors");
    return new Reply(200, out);
  }

  private static List<Problem> dedupe(List<Problem> problems) {
    return new ArrayList<>(new java.util.LinkedHashSet<>(problems));
  }

  private static Reply invalid(String type, String message) {
    ObjectNode out = F.objectNode();
    ObjectNode error = out.putObject("error");
    error.put("type", type);
    error.put("message", message);
    error.put("details", message);
    error.putObject("extra_info");
    out.putObject("node_errors");
    return new Reply(400, out);
  }

  /**
   * The PNG chunks ComfyUI's SaveImage writes: the prompt as run, and the UI workflow the client sent in
   * extra_data.extra_pnginfo (its front end does), else ours written in that format.
   */
  private Map<String, String> pictureText(JsonNode prompt, ObjectNode extra, Workflow wf) {
    Map<String, String> text = new LinkedHashMap<>();
    try {
      text.put(WorkflowFiles.COMFY_PROMPT_CHUNK, mapper.writeValueAsString(prompt));
      JsonNode ui = extra.path("extra_pnginfo").path("workflow");
      text.put(WorkflowFiles.COMFY_WORKFLOW_CHUNK, mapper.writeValueAsString(ui.isObject() ? ui
          : uiWriter.write(wf)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
    return text;
  }

  /** The studio's runs go to the history too, under their run id, with their prompt where ComfyUI has one. */
  private void recordStudioRun(QueuedRun run) {
    JsonNode prompt;
    try {
      prompt = new ComfyPromptWriter(executor.registry()).write(run.request().graph());
    } catch (ComfyPromptWriter.NotExportable e) {
      prompt = F.objectNode();
    }
    List<String> outputs = new ArrayList<>();
    ObjectNode extra = F.objectNode();
    extra.put("client_id", run.origin());
    PromptRecord record = new PromptRecord(run.number(), run.id(), prompt, extra, outputs, null, null);
    run.addListener(new PromptEvents(record, hub, history, folders));
  }

  ObjectNode status() {
    ObjectNode s = F.objectNode();
    s.putObject("exec_info").put("queue_remaining", executor.queue().remaining());
    return s;
  }

  void broadcastStatus() {
    ObjectNode msg = F.objectNode();
    msg.put("type", "status");
    msg.putObject("data").set("status", status());
    hub.broadcast(msg.toString());
  }

  /** {@code GET /queue}: the running prompt and the pending ones, as ComfyUI lists them. */
  ObjectNode queue() {
    ObjectNode out = F.objectNode();
    ArrayNode running = out.putArray("queue_running");
    ArrayNode pending = out.putArray("queue_pending");
    for (QueuedRun r : executor.queue().active()) {
      ArrayNode item = r.tag() instanceof PromptRecord p ? p.asQueueItem() : studioItem(r);
      (r.state() == QueuedRun.State.RUNNING ? running : pending).add(item);
    }
    return out;
  }

  private static ArrayNode studioItem(QueuedRun r) {
    ArrayNode a = F.arrayNode();
    a.add(r.number()).add(r.id()).addObject();
    a.addObject().put("client_id", r.origin());
    a.addArray();
    return a;
  }

  /** {@code POST /queue}: {"clear": true} drops every pending client prompt; {"delete": [ids]} those. */
  void queueCommand(JsonNode body) throws BadRequest {
    if (!body.isObject()) {
      throw BadRequest.of("expected {\"clear\": true} or {\"delete\": [prompt ids]}");
    }
    if (body.path("clear").asBoolean(false)) {
      for (QueuedRun r : executor.queue().active()) {
        if (r.state() == QueuedRun.State.PENDING && r.tag() instanceof PromptRecord) {
          r.cancel();
        }
      }
    }
    if (body.has("delete")) {
      if (!body.get("delete").isArray()) {
        throw BadRequest.of("\"delete\" must be a list of prompt ids");
      }
      Set<String> ids = new java.util.HashSet<>();
      body.get("delete").forEach(n -> ids.add(n.asText()));
      for (QueuedRun r : executor.queue().active()) {
        if (r.state() == QueuedRun.State.PENDING && ids.contains(r.id())) {
          r.cancel();
        }
      }
    }
  }

  /** {@code POST /interrupt}: the running prompt, or only the given prompt_id when it is the one running. */
  void interrupt(JsonNode body) {
    String only = body != null && body.hasNonNull("prompt_id") ? body.get("prompt_id").asText() : null;
    for (QueuedRun r : executor.queue().active()) {
      if (r.state() == QueuedRun.State.RUNNING && (only == null || only.equals(r.id()))) {
        r.cancel();
      }
    }
  }

  /** {@code POST /history}: {"clear": true} or {"delete": [ids]}. */
  void historyCommand(JsonNode body) throws BadRequest {
    if (!body.isObject()) {
      throw BadRequest.of("expected {\"clear\": true} or {\"delete\": [prompt ids]}");
    }
    if (body.path("clear").asBoolean(false)) {
      history.clear();
    }
    body.path("delete").forEach(n -> history.delete(n.asText()));
  }
}
