package org.latentstudio.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.Problem;
import org.latentstudio.image.PngText;
import org.latentstudio.interop.comfy.ComfyPromptReader;
import org.latentstudio.interop.comfy.ComfyPromptWriter;
import org.latentstudio.interop.comfy.ComfyWorkflowReader;
import org.latentstudio.interop.comfy.ComfyWorkflowWriter;
import org.latentstudio.interop.comfy.Imported;
import org.latentstudio.interop.comfy.ModelNames;
import org.latentstudio.io.IoErrors;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.io.WorkflowFormatException;

/**
 * Opens whatever workflow a user hands over, without a conversion step: our own workflow files, ComfyUI's UI
 * workflows and API prompts, and PNGs carrying any of them (our chunk "latentstudio", ComfyUI's "workflow" and
 * "prompt"). Also makes the ComfyUI chunks every saved picture carries.
 */
public final class WorkflowFiles {
  /** The PNG text chunk with our own workflow. ComfyUI's "workflow" chunk holds its UI format. */
  public static final String OUR_CHUNK = "latentstudio";
  public static final String COMFY_WORKFLOW_CHUNK = "workflow";
  public static final String COMFY_PROMPT_CHUNK = "prompt";

  /** The file formats {@link #read} tells apart. */
  public enum Format { LATENTSTUDIO, COMFY_UI, COMFY_API }

  /** A workflow as opened, with what the import noticed (ComfyUI files only) and the format it came in. */
  public record Opened(Workflow workflow, List<Problem> notes, Format format) {
    public Opened {
      notes = List.copyOf(notes);
    }
  }

  private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
  private final WorkflowCodec codec = new WorkflowCodec();
  private final NodeCatalog catalog;
  private final ModelNames models;

  /**
   * @param models checks model names in ComfyUI files at import; null skips the check
   */
  public WorkflowFiles(NodeCatalog catalog, ModelNames models) {
    this.catalog = catalog;
    this.models = models;
  }

  public static boolean isPng(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
  }

  public static boolean canOpen(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".json") || n.endsWith(".png");
  }

  public Opened read(Path file) throws WorkflowFormatException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new WorkflowFormatException("workflow file " + file + " does not exist; check the path");
    } catch (IOException e) {
      throw new WorkflowFormatException("cannot read workflow file " + file + ": " + IoErrors.reason(e), e);
    }
    if (PngText.isPng(bytes)) {
      return readPng(file); // the content decides, not the name
    }
    // strictly: bytes that are not UTF-8 are reported with their line, not replaced by U+FFFD
    return parse(WorkflowCodec.text(bytes, file.toString()), file.toString());
  }

  /** Reads JSON in any of the three formats; our own goes through {@link WorkflowCodec} with its messages. */
  public Opened parse(String json, String source) throws WorkflowFormatException {
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      root = null; // the codec gives the precise message for broken JSON
    }
    if (root != null && root.isObject() && !root.has("format")) {
      if (ComfyWorkflowReader.looks(root)) {
        return opened(new ComfyWorkflowReader(catalog, models).read(root, source));
      }
      Optional<JsonNode> prompt = ComfyPromptReader.promptOf(root);
      if (prompt.isPresent()) {
        return opened(new ComfyPromptReader(catalog, models).read(prompt.get(), source));
      }
    }
    return new Opened(codec.parse(json, source), List.of(), Format.LATENTSTUDIO);
  }

  private static Opened opened(Imported i) {
    return new Opened(i.workflow(), i.notes(),
        i.format() == Imported.Format.UI_WORKFLOW ? Format.COMFY_UI : Format.COMFY_API);
  }

  private Opened readPng(Path file) throws WorkflowFormatException {
    Map<String, String> texts;
    try {
      texts = PngText.read(file);
    } catch (IOException e) {
      throw new WorkflowFormatException(file.getFileName() + " is not a readable PNG picture: " + IoErrors.reason(e),
          e);
    }
    String where = "the workflow inside " + file.getFileName();
    if (texts.containsKey(OUR_CHUNK)) {
      return parse(texts.get(OUR_CHUNK), where);
    }
    if (texts.containsKey(COMFY_WORKFLOW_CHUNK)) {
      return parse(texts.get(COMFY_WORKFLOW_CHUNK), where);
    }
    if (texts.containsKey(COMFY_PROMPT_CHUNK)) {
      return parse(texts.get(COMFY_PROMPT_CHUNK), "the prompt inside " + file.getFileName());
    }
    throw new WorkflowFormatException(file.getFileName() + " has no workflow inside. Only pictures saved by "
        + "Latent Studio or ComfyUI carry the graph that made them.");
  }

  /**
   * ComfyUI's chunks for a picture this workflow makes: "workflow" (the UI format) always, "prompt" (the API
   * format) when ComfyUI has every node that runs.
   */
  public Map<String, String> comfyPictureText(Workflow workflow) {
    Map<String, String> out = new LinkedHashMap<>();
    try {
      out.put(COMFY_PROMPT_CHUNK, mapper.writeValueAsString(new ComfyPromptWriter(catalog).write(workflow.graph())));
    } catch (ComfyPromptWriter.NotExportable e) {
      // ComfyUI opens the picture from its workflow chunk and shows what it lacks as missing nodes
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
    try {
      out.put(COMFY_WORKFLOW_CHUNK, mapper.writeValueAsString(new ComfyWorkflowWriter(catalog).write(workflow)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
    return out;
  }
}
