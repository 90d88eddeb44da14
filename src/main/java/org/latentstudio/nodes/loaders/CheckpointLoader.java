package org.latentstudio.nodes.loaders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.ModelFolder;
import org.latentstudio.runtime.ModelLibrary;
import org.latentstudio.runtime.OrtRuntime;
import org.latentstudio.runtime.TextEncoder;
import org.latentstudio.runtime.UNet;
import org.latentstudio.text.ClipTokenizer;
import org.latentstudio.text.TokenizerFormatException;

/**
 * Opens a checkpoint folder (optimum/diffusers ONNX layout) and hands out its UNet, text encoder and VAE.
 * It checks the parts fit together before anything runs: the text encoder's hidden size must be the width the
 * UNet's cross-attention expects.
 */
public final class CheckpointLoader implements NodeType {
  static final InPort<String> PATH = InPort.text("path", "shapes").file("checkpoint")
      .tooltip("a checkpoint folder, or the name of one in the models directories");

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("CheckpointLoader", "Load Checkpoint", "loaders", List.of(PATH),
        List.of(Ports.MODEL, Ports.CLIP, Ports.VAE));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    String path = in.get(PATH);
    CheckpointCache.Opened opened;
    try {
      opened = ctx.service(CheckpointCache.class).get(fingerprint(Map.of("path", path), ctx), () -> {
        ModelFolder folder = ModelFolder.open(ctx.service(ModelLibrary.class).resolveCheckpoint(path));
        ClipTokenizer tokenizer = ClipTokenizer.load(folder.tokenizerDir());
        checkTextWidth(folder, ctx.service(OrtRuntime.class));
        return new CheckpointCache.Opened(folder, tokenizer);
      });
    } catch (ModelException | TokenizerFormatException e) {
      throw new NodeException(e.getMessage(), e);
    }
    ModelFolder folder = opened.folder();
    return Outputs.of(Ports.MODEL, Checkpoint.of(folder))
        .and(Ports.CLIP, new ClipModel(folder, opened.tokenizer()))
        .and(Ports.VAE, new VaeModel(folder));
  }

  private static void checkTextWidth(ModelFolder folder, OrtRuntime runtime) throws ModelException {
    int hidden;
    int cross;
    String source;
    if (folder.textHidden() != null && folder.crossAttnDim() != null) {
      hidden = folder.textHidden();
      cross = folder.crossAttnDim();
      source = "text_encoder/config.json hidden_size and unet/config.json cross_attention_dim";
    } else {
      try (TextEncoder text = TextEncoder.open(runtime, folder); UNet unet = UNet.open(runtime, folder)) {
        hidden = text.hiddenSize();
        cross = unet.crossAttentionDim();
      }
      source = "the shapes declared by text_encoder/model.onnx and unet/model.onnx";
      if (hidden < 0 || cross < 0) {
        return; // dynamic in the export: ONNX Runtime will say so at the first UNet call
      }
    }
    if (hidden != cross) {
      throw new ModelException("the text encoder's hidden size is " + hidden + " but the UNet's cross-attention "
          + "width is " + cross + " (" + source + ") in " + folder.root() + ". The text encoder belongs to a "
          + "different model family; use the text encoder exported with this UNet");
    }
  }

  /** A changed model file must not be served from the cache: the key includes the files' sizes and dates. */
  @Override
  public String fingerprint(Map<String, Object> literals, Services services) {
    return fingerprint(literals, services.require(ModelLibrary.class));
  }

  private static String fingerprint(Map<String, Object> literals, ExecContext ctx) {
    return fingerprint(literals, ctx.service(ModelLibrary.class));
  }

  /** Sizes and dates of the files a checkpoint is made of (all of the UNet's folder, for external weights). */
  private static String fingerprint(Map<String, Object> literals, ModelLibrary library) {
    try {
      Path root = library.resolveCheckpoint(String.valueOf(literals.get("path")));
      StringBuilder sb = new StringBuilder(root.toString());
      for (String file : List.of("model_index.json", "scheduler/scheduler_config.json", "tokenizer/vocab.json",
          "tokenizer/merges.txt", "text_encoder/model.onnx", "vae_decoder/model.onnx", "vae_encoder/model.onnx",
          "vae_decoder/config.json", "preview/latent_rgb_factors.json")) {
        stamp(sb, root.resolve(file));
      }
      try (var files = Files.list(root.resolve("unet"))) {
        for (Path f : files.sorted().toList()) {
          stamp(sb, f);
        }
      }
      return sb.toString();
    } catch (ModelException | IOException | RuntimeException e) {
      return ""; // evaluate reports the problem
    }
  }

  private static void stamp(StringBuilder sb, Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      sb.append('|').append(file.getFileName()).append(Files.size(file)).append('@')
          .append(Files.getLastModifiedTime(file).toMillis());
    }
  }

}
