package org.latentstudio.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.Promise;
import org.latentstudio.exec.Executor;
import org.latentstudio.runtime.ModelLibrary;

/**
 * ComfyUI's HTTP routes (server.py), with and without the "/api" prefix its front end uses. A bad request gets a
 * 400 with a JSON message; nothing a client sends gets a 500 with a stack trace. Requests whose Origin is another
 * site are refused, as ComfyUI does, so a web page cannot queue prompts on a local server.
 */
final class ApiHandler extends Handler.Abstract {
  static final long JSON_LIMIT = 16L << 20;
  static final long UPLOAD_LIMIT = 100L << 20;

  private final Executor executor;
  private final ModelLibrary models;
  private final ServerFolders folders;
  private final PromptService prompts;
  private final ObjectInfo objectInfo;
  private final String version;

  ApiHandler(Executor executor, ModelLibrary models, ServerFolders folders, PromptService prompts, String version) {
    this.executor = executor;
    this.models = models;
    this.folders = folders;
    this.prompts = prompts;
    this.objectInfo = new ObjectInfo(executor.registry(), models, folders);
    this.version = version;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (path.startsWith("/api/")) {
      path = path.substring(4);
    }
    String method = request.getMethod();
    try {
      if (!sameOrigin(request)) {
        throw new BadRequest(403, "forbidden", "requests from another site's page are refused");
      }
      route(method, path, request, response, callback);
    } catch (BadRequest e) {
      Http.error(response, callback, e.status(), e.type(), e.getMessage());
    } catch (IOException | RuntimeException e) {
      // a fault of ours: a short message, never a stack trace
      Http.error(response, callback, 500, "server_error", "the server could not answer: " + e.getMessage());
    }
    return true;
  }

  private void route(String method, String path, Request request, Response response, Callback callback)
      throws BadRequest, IOException {
    boolean get = method.equals("GET") || method.equals("HEAD");
    boolean post = method.equals("POST");
    switch (path) {
      case "/prompt" -> {
        if (post) {
          PromptService.Reply r = prompts.submit(Http.json(request, JSON_LIMIT, false));
          Http.json(response, callback, r.status(), r.body());
        } else if (get) {
          ObjectNode s = Http.MAPPER.createObjectNode();
          s.set("exec_info", prompts.status().get("exec_info"));
          Http.json(response, callback, 200, s);
        } else {
          throw notAllowed();
        }
      }
      case "/queue" -> {
        if (post) {
          prompts.queueCommand(Http.json(request, JSON_LIMIT, false));
          ok(response, callback);
        } else if (get) {
          Http.json(response, callback, 200, prompts.queue());
        } else {
          throw notAllowed();
        }
      }
      case "/interrupt" -> {
        requirePost(post);
        JsonNode body;
        try {
          body = Http.json(request, JSON_LIMIT, true);
        } catch (BadRequest e) {
          body = Http.MAPPER.createObjectNode(); // ComfyUI takes a body that is not JSON as "interrupt whatever runs"
        }
        prompts.interrupt(body);
        ok(response, callback);
      }
      case "/history" -> {
        if (post) {
          prompts.historyCommand(Http.json(request, JSON_LIMIT, false));
          ok(response, callback);
        } else if (get) {
          Fields q = Request.extractQueryParameters(request);
          Http.json(response, callback, 200, prompts.history().list(intParam(q, "max_items"), intParam(q, "offset")));
        } else {
          throw notAllowed();
        }
      }
      case "/view" -> {
        requireGet(get);
        view(request, response, callback);
      }
      case "/upload/image" -> {
        requirePost(post);
        upload(request, response, callback);
      }
      case "/object_info" -> {
        requireGet(get);
        Http.json(response, callback, 200, objectInfo.all());
      }
      case "/system_stats" -> {
        requireGet(get);
        Http.json(response, callback, 200, systemStats());
      }
      case "/embeddings" -> {
        requireGet(get);
        Http.json(response, callback, 200, Http.MAPPER.createArrayNode());
      }
      case "/models" -> {
        requireGet(get);
        Http.json(response, callback, 200, Http.MAPPER.createArrayNode().add("checkpoints").add("loras")
            .add("controlnet"));
      }
      case "/features" -> {
        requireGet(get);
        Http.json(response, callback, 200, Http.MAPPER.createObjectNode().put("supports_preview_metadata", false)
            .put("max_upload_size", UPLOAD_LIMIT));
      }
      case "/", "" -> {
        requireGet(get);
        Http.bytes(response, callback, 200, "text/plain; charset=utf-8", ("Latent Studio " + version
            + " answers ComfyUI's API here (POST /prompt, GET /ws, /history, /view, ...). It has no web page; "
            + "use the studio, or a ComfyUI client or script.\n").getBytes(StandardCharsets.UTF_8));
      }
      default -> {
        if (path.startsWith("/history/")) {
          requireGet(get);
          Http.json(response, callback, 200, prompts.history().get(path.substring("/history/".length())));
        } else if (path.startsWith("/object_info/")) {
          requireGet(get);
          String name = path.substring("/object_info/".length());
          ObjectNode out = Http.MAPPER.createObjectNode();
          objectInfo.one(name).ifPresent(info -> out.set(name, info));
          Http.json(response, callback, 200, out);
        } else if (path.startsWith("/models/")) {
          requireGet(get);
          Http.json(response, callback, 200, modelFolder(path.substring("/models/".length())));
        } else {
          throw new BadRequest(404, "not_found", "no such route: " + method + " " + path);
        }
      }
    }
  }

  private static void ok(Response response, Callback callback) {
    Http.bytes(response, callback, 200, "text/plain; charset=utf-8", new byte[0]);
  }

  private static BadRequest notAllowed() {
    return new BadRequest(405, "method_not_allowed", "this route does not take that method");
  }

  private static void requireGet(boolean get) throws BadRequest {
    if (!get) {
      throw notAllowed();
    }
  }

  private static void requirePost(boolean post) throws BadRequest {
    if (!post) {
      throw notAllowed();
    }
  }

  private static Integer intParam(Fields q, String name) throws BadRequest {
    String v = q.getValue(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw BadRequest.of(name + " must be a whole number, not '" + v + "'");
    }
  }

  /** A browser page from another site sends its Origin; ComfyUI refuses those that do not match the Host. */
  private static boolean sameOrigin(Request request) {
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (origin == null || host == null || origin.equals("null")) {
      return origin == null || host == null;
    }
    try {
      URI o = URI.create(origin);
      String originHost = o.getHost() + (o.getPort() > 0 ? ":" + o.getPort() : "");
      return originHost.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private ArrayNode modelFolder(String folder) throws BadRequest {
    ModelLibrary.Kind kind = switch (folder) {
      case "checkpoints" -> ModelLibrary.Kind.CHECKPOINT;
      case "loras" -> ModelLibrary.Kind.LORA;
      case "controlnet" -> ModelLibrary.Kind.CONTROLNET;
      default -> throw new BadRequest(404, "not_found", "no model folder '" + folder
          + "'; there are checkpoints, loras and controlnet");
    };
    ArrayNode out = Http.MAPPER.createArrayNode();
    models.scan(kind).forEach(e -> out.add(e.name()));
    return out;
  }

  /** {@code GET /view?filename&subfolder&type}: a file from the input, output or temp folder, nowhere else. */
  private void view(Request request, Response response, Callback callback) throws BadRequest, IOException {
    Fields q = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    String filename = q.getValue("filename");
    if (filename == null) {
      throw new BadRequest(404, "not_found", "give a filename");
    }
    String type = q.getValue("type");
    if (filename.endsWith("]") && filename.lastIndexOf(" [") > 0) {
      type = filename.substring(filename.lastIndexOf(" [") + 2, filename.length() - 1);
      filename = filename.substring(0, filename.lastIndexOf(" ["));
    }
    Path base = folders.byType(type == null ? "output" : type);
    Path file = ServerFolders.inside(base, q.getValue("subfolder"), filename);
    if (!Files.isRegularFile(file)) {
      throw new BadRequest(404, "not_found", "no file " + filename + " there");
    }
    Path real = ServerFolders.realInside(base, file);
    String name = real.getFileName().toString().toLowerCase(Locale.ROOT);
    String mime = name.endsWith(".png") ? "image/png" : name.endsWith(".jpg") || name.endsWith(".jpeg") ? "image/jpeg"
        : name.endsWith(".webp") ? "image/webp" : "application/octet-stream";
    response.getHeaders().put("Content-Disposition", "filename=\"" + real.getFileName().toString()
        .replace("\"", "") + "\"");
    Http.bytes(response, callback, 200, mime, Files.readAllBytes(real));
  }

  /**
   * {@code POST /upload/image} (multipart: image, optional type, subfolder, overwrite): saves into the input
   * folder (or temp/output when asked), never outside; an existing name gets " (1)" and so on unless the file is
   * the same or overwrite is set, as in ComfyUI.
   */
  private void upload(Request request, Response response, Callback callback) throws BadRequest, IOException {
    if (request.getLength() > UPLOAD_LIMIT) {
      throw new BadRequest(413, "too_large", "the upload is larger than " + (UPLOAD_LIMIT >> 20) + " MiB");
    }
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw BadRequest.of("send the picture as multipart/form-data with a part named \"image\"");
    }
    String boundary = MultiPart.extractBoundary(contentType);
    if (boundary == null || boundary.isEmpty()) {
      throw BadRequest.of("the multipart/form-data content type has no boundary");
    }
    // the whole body first, within the limit, so a malformed form fails our parse and never the connection
    byte[] body = Http.body(request, UPLOAD_LIMIT);
    MultiPartFormData.Parts parts;
    try {
      MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
      parser.setMaxLength(UPLOAD_LIMIT);
      parser.setMaxMemoryFileSize(UPLOAD_LIMIT);
      parser.setMaxParts(16);
      CompletableFuture<MultiPartFormData.Parts> parsed = new CompletableFuture<>();
      parser.parse(new ByteBufferContentSource(ByteBuffer.wrap(body)), Promise.Invocable.toPromise(parsed));
      parts = parsed.get();
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw BadRequest.of("the multipart body cannot be read: " + cause.getMessage());
    }
    try (parts) {
      MultiPart.Part image = parts.getFirst("image");
      if (image == null || image.getFileName() == null || image.getFileName().isEmpty()) {
        throw BadRequest.of("the form has no file part named \"image\"");
      }
      String type = text(parts.getFirst("type"));
      String subfolder = text(parts.getFirst("subfolder"));
      String overwrite = text(parts.getFirst("overwrite"));
      Path base = folders.byType(type == null || type.isEmpty() ? "input" : type);
      Path target = ServerFolders.inside(base, subfolder, image.getFileName());
      Files.createDirectories(target.getParent());
      ServerFolders.realInside(base, target.getParent());
      byte[] data = Content.Source.asByteBuffer(image.getContentSource()).array();
      boolean replace = "true".equals(overwrite) || "1".equals(overwrite);
      Path saved = save(target, data, replace);
      ObjectNode out = Http.MAPPER.createObjectNode();
      out.put("name", saved.getFileName().toString());
      out.put("subfolder", subfolder == null ? "" : subfolder);
      out.put("type", type == null || type.isEmpty() ? "input" : type);
      Http.json(response, callback, 200, out);
    }
  }

  private static Path save(Path target, byte[] data, boolean replace) throws IOException, BadRequest {
    if (replace) {
      if (Files.isSymbolicLink(target)) {
        throw new BadRequest(403, "forbidden", "the name is a link; choose another");
      }
      org.latentstudio.io.AtomicFiles.write(target, data);
      return target;
    }
    String name = target.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    for (int i = 1; i < 10_000; i++) {
      if (Files.isRegularFile(target) && !Files.isSymbolicLink(target)
          && java.util.Arrays.equals(Files.readAllBytes(target), data)) {
        return target; // the same picture again: ComfyUI keeps one copy
      }
      try (OutputStream os = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
        os.write(data);
        return target;
      } catch (FileAlreadyExistsException e) {
        target = target.resolveSibling(stem + " (" + i + ")" + ext);
      }
    }
    throw BadRequest.of("too many files named " + name);
  }

  private static String text(MultiPart.Part part) {
    if (part == null) {
      return null;
    }
    return part.getContentAsString(StandardCharsets.UTF_8);
  }

  private ObjectNode systemStats() {
    ObjectNode out = Http.MAPPER.createObjectNode();
    ObjectNode system = out.putObject("system");
    system.put("os", System.getProperty("os.name"));
    long total = physicalMemory();
    system.put("ram_total", total);
    system.put("ram_free", freeMemory());
    system.put("comfyui_version", "latentstudio-" + version);
    system.put("python_version", "Java " + Runtime.version());
    system.put("pytorch_version", "ONNX Runtime");
    system.put("embedded_python", false);
    system.putArray("argv");
    ArrayNode devices = out.putArray("devices");
    ObjectNode d = devices.addObject();
    boolean started = executor.services().isStarted(org.latentstudio.runtime.OrtRuntime.class);
    String provider = started ? executor.services().require(org.latentstudio.runtime.OrtRuntime.class).provider()
        .describe() : "ONNX Runtime (starts with the first prompt)";
    d.put("name", provider);
    d.put("type", provider.contains("CUDA") && !provider.contains("CPU execution") ? "cuda" : "cpu");
    d.put("index", 0);
    d.put("vram_total", 0);
    d.put("vram_free", 0);
    d.put("torch_vram_total", 0);
    d.put("torch_vram_free", 0);
    return out;
  }

  private static long physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }

  private static long freeMemory() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getFreeMemorySize();
    }
    return Runtime.getRuntime().freeMemory();
  }
}
