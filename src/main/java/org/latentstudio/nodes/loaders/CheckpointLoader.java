package org.latentstudio.nodes.loaders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeException;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.exec.Services;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.nodes.Ports;
import org.latentstudio.nodes.values.Checkpoint;
import org.latentstudio.nodes.values.ClipModel;
import org.latentstudio.nodes.values.VaeModel;
import org.latentstudio.runtime.GraphCache;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.ModelLibrary;
import org.latentstudio.runtime.ModelSource;
import org.latentstudio.runtime.OrtRuntime;
import org.latentstudio.runtime.SdModel;
import org.latentstudio.runtime.SdModels;
import org.latentstudio.runtime.TextEncoder;
import org.latentstudio.runtime.UNet;
import org.latentstudio.text.ClipTokenizer;
import org.latentstudio.text.TokenizerFormatException;

/**
 * Opens a checkpoint (a {@code .safetensors}/{@code .ckpt} file, a diffusers folder or an ONNX folder) and hands
 * out its UNet, text encoder and VAE. Files are compiled to ONNX graphs here, the first time, with progress; the
 * graphs are cached, and the weights stay in the user's file. It checks the parts fit together before anything
 * runs: the tokenizer's ids must fit the text encoder's vocabulary and the text width must be the UNet's
 * cross-attention width.
 */
public final class CheckpointLoader implements NodeType {
  /** Model folders' listings, shared by every loader: they describe the file system, not a graph. */
  private static final FolderListings LISTINGS = new FolderListings();

  static final InPort<String> PATH = InPort.text("path", "shapes").file("checkpoint")
      .tooltip("a .safetensors or .ckpt checkpoint, a diffusers or ONNX folder, or the name of one in the models "
          + "directories");
  static final InPort<String> CONFIG = InPort.text("config", "").file("checkpoint config").optional()
      .tooltip("for single-file checkpoints: a diffusers folder whose configs and tokenizer apply, or an original "
          + "LDM .yaml; empty uses a .yaml of the same name beside the file, else SD1.5's settings");

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("CheckpointLoader", "Load Checkpoint", "loaders", List.of(PATH, CONFIG),
        List.of(Ports.MODEL, Ports.CLIP, Ports.VAE));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    String path = in.get(PATH);
    String config = in.get(CONFIG);
    CheckpointCache.Opened opened;
    try {
      // the files were stamped for this run's cache key a moment ago
      opened = open(path, config, ctx.fingerprint(), ctx.service(ModelLibrary.class),
          ctx.service(CheckpointCache.class), () -> ctx.service(OrtRuntime.class), ctx.service(GraphCache.class),
          ctx::progress);
    } catch (ModelException | TokenizerFormatException e) {
      throw new NodeException(e.getMessage(), e);
    }
    SdModel model = opened.model();
    return Outputs.of(Ports.MODEL, new Checkpoint(model))
        .and(Ports.CLIP, new ClipModel(model, opened.tokenizer()))
        .and(Ports.VAE, new VaeModel(model));
  }

  /**
   * The checkpoint the node would open for these inputs, from the checkpoint cache or opened (and checked) now;
   * {@link SessionPrefetch} opens it this way before the run reaches the node.
   */
  static CheckpointCache.Opened open(String path, String config, Services services)
      throws ModelException, TokenizerFormatException {
    ModelLibrary library = services.require(ModelLibrary.class);
    return open(path, config, fingerprint(Map.of("path", path, "config", config), library), library,
        services.require(CheckpointCache.class), () -> services.require(OrtRuntime.class),
        services.require(GraphCache.class), (done, total) -> {});
  }

  /** Progress through building the graphs: done of total. */
  private interface Progress {
    void report(int done, int total);
  }

  /**
   * @param runtime asked for only when the checkpoint needs it, since it waits for ONNX Runtime to load: a cold run
   *                opens the checkpoint (its configs, graphs and tokenizer) meanwhile
   */
  private static CheckpointCache.Opened open(String path, String config, String fingerprint, ModelLibrary library,
      CheckpointCache checkpoints, Supplier<OrtRuntime> runtime, GraphCache graphs, Progress progress)
      throws ModelException, TokenizerFormatException {
    return checkpoints.get(fingerprint, () -> {
      Path file = library.resolveCheckpoint(path);
      SdModel model = SdModels.open(file, config.isBlank() ? null : library.resolveConfig(config), graphs,
          OrtRuntime.compileOptions(runtime));
      ClipTokenizer tokenizer = model.tokenizerDir() == null ? ClipTokenizer.bundled()
          : ClipTokenizer.load(model.tokenizerDir());
      compileAll(model, progress);
      checkTextWidth(model, runtime);
      checkVocabulary(model, tokenizer);
      return new CheckpointCache.Opened(model, tokenizer);
    });
  }

  /** Builds the compiled graphs now (or finds them in the graph cache), so the node shows the progress. */
  private static void compileAll(SdModel model, Progress progress) throws ModelException {
    List<ModelSource> parts = Stream.of(model.textEncoder(), model.unet(), model.vaeDecoder(), model.vaeEncoder())
        .filter(p -> p instanceof ModelSource.Compiled).toList();
    for (int i = 0; i < parts.size(); i++) {
      progress.report(i, parts.size());
      ((ModelSource.Compiled) parts.get(i)).graph().get();
    }
  }

  /** An ONNX folder without configs declares its widths only in its graphs. */
  private static void checkTextWidth(SdModel model, Supplier<OrtRuntime> runtime) throws ModelException {
    if (model.textHidden() != null && model.crossAttnDim() != null) {
      check(model, model.textHidden(), model.crossAttnDim(), "text_encoder/config.json hidden_size and "
          + "unet/config.json cross_attention_dim");
      return;
    }
    try (TextEncoder text = TextEncoder.open(runtime.get(), model); UNet unet = UNet.open(runtime.get(), model)) {
      if (text.hiddenSize() >= 0 && unet.crossAttentionDim() >= 0) {
        check(model, text.hiddenSize(), unet.crossAttentionDim(), "the shapes declared by text_encoder/model.onnx "
            + "and unet/model.onnx");
      }
    }
  }

  /** Token ids past the text encoder's embedding would fail deep inside ONNX Runtime (a Gather error). */
  private static void checkVocabulary(SdModel model, ClipTokenizer tokenizer) throws ModelException {
    if (model.textVocabSize() != null && tokenizer.vocabSize() > model.textVocabSize()) {
      throw new ModelException("the tokenizer of " + model.root() + " has " + tokenizer.vocabSize() + " tokens but "
          + "the text encoder embeds only " + model.textVocabSize() + ": the tokenizer belongs to another model. "
          + (model.tokenizerDir() == null ? "This checkpoint has no tokenizer of its own and its text encoder does "
          + "not fit the standard CLIP vocabulary; give a config folder with the model's tokenizer/"
          : "Use the tokenizer/ that came with this text encoder"));
    }
  }

  private static void check(SdModel model, int hidden, int cross, String source) throws ModelException {
    if (hidden != cross) {
      throw new ModelException("the text encoder's hidden size is " + hidden + " but the UNet's cross-attention "
          + "width is " + cross + " (" + source + ") in " + model.root() + ". The text encoder belongs to a "
          + "different model family; use the text encoder exported with this UNet");
    }
  }

  @Override
  public Map<String, String> missingFiles(Map<String, Object> literals, Services services) {
    ModelLibrary library = services.require(ModelLibrary.class);
    Map<String, String> missing = new LinkedHashMap<>();
    try {
      Path file = library.resolveCheckpoint(String.valueOf(literals.get("path")));
      if (!Files.exists(file)) {
        missing.put("path", "checkpoint " + file + " does not exist");
      }
    } catch (ModelException e) {
      missing.put("path", e.getMessage());
    }
    String config = String.valueOf(literals.getOrDefault("config", ""));
    try {
      Path file = config.isBlank() ? null : library.resolveConfig(config);
      if (file != null && !Files.exists(file)) {
        missing.put("config", "the config " + file + " does not exist");
      }
    } catch (ModelException e) {
      missing.put("config", e.getMessage());
    }
    return missing;
  }

  /** A changed model file must not be served from the cache: the key includes the files' sizes and dates. */
  @Override
  public String fingerprint(Map<String, Object> literals, Services services) {
    return fingerprint(literals, services.require(ModelLibrary.class));
  }

  private static String fingerprint(Map<String, Object> literals, ModelLibrary library) {
    try {
      StringBuilder sb = new StringBuilder();
      stampTree(sb, library.resolveCheckpoint(String.valueOf(literals.get("path"))));
      String config = String.valueOf(literals.getOrDefault("config", ""));
      if (!config.isBlank()) {
        stampTree(sb, library.resolveConfig(config));
      }
      return sb.toString();
    } catch (ModelException | IOException | RuntimeException e) {
      return ""; // evaluate reports the problem
    }
  }

  /** Sizes and dates of a file, or of every file in a model folder (two levels: component folders). */
  private static void stampTree(StringBuilder sb, Path root) throws IOException {
    sb.append(root);
    if (Files.isRegularFile(root)) {
      stamp(sb, root);
      Path yaml = root.resolveSibling(root.getFileName().toString().replaceFirst("\\.[^.]+$", "") + ".yaml");
      stamp(sb, yaml);
      return;
    }
    // runs for every run of the graph: the listings are kept (FolderListings), each file is looked at once
    Map<Path, BasicFileAttributes> files = new TreeMap<>();
    list(root, 2, files);
    files.forEach((f, attrs) -> stamp(sb, f, attrs));
  }

  /** The regular files in {@code dir} and, {@code depth} − 1 levels down, its folders. */
  private static void list(Path dir, int depth, Map<Path, BasicFileAttributes> files) throws IOException {
    FolderListings.Listing listing = LISTINGS.list(dir);
    for (Path file : listing.files()) {
      try {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        if (attrs.isRegularFile()) {
          files.put(file, attrs);
        }
      } catch (IOException e) {
        // gone since the listing, or a link left dangling: no file of the model
      }
    }
    if (depth > 1) {
      for (Path folder : listing.folders()) {
        list(folder, depth - 1, files);
      }
    }
  }

  /** A file's name, size and date, if it is a file (one stat). */
  private static void stamp(StringBuilder sb, Path file) {
    try {
      BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
      if (attrs.isRegularFile()) {
        stamp(sb, file, attrs);
      }
    } catch (IOException e) {
      // no such file (an optional .yaml beside the checkpoint): nothing to stamp
    }
  }

  private static void stamp(StringBuilder sb, Path file, BasicFileAttributes attrs) {
    sb.append('|').append(file.getFileName()).append(attrs.size()).append('@')
        .append(attrs.lastModifiedTime().toMillis());
  }
}
