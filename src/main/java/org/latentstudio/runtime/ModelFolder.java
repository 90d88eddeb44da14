package org.latentstudio.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.latentstudio.diffusion.SchedulerConfig;
import org.latentstudio.checkpoint.CheckpointException;
import org.latentstudio.checkpoint.ConfigReader;
import org.latentstudio.checkpoint.SchedulerConfigs;
import org.latentstudio.checkpoint.VaeConfig;

/**
 * A Stable Diffusion 1.x checkpoint in the Hugging Face optimum/diffusers ONNX layout (see
 * src/site/model-format.md). Opening checks the layout, so a missing or malformed file is reported up front,
 * by name, with the layout expected.
 *
 * @param vaeEncoder   null when the folder has no encoder (text-to-image still works)
 * @param scheduler    the parsed and checked scheduler_config.json
 * @param vaeDownscale pixels per latent cell along a side, from the VAE config's levels (8 if it has none)
 * @param textHidden   the text encoder's hidden size from its config, or null if the config does not say
 * @param crossAttnDim the UNet's cross-attention width from its config, or null
 * @param textVocab    the text encoder's vocabulary size from its config, or null
 * @param preview      latent-to-RGB factors shipped with the model, or null
 */
public record ModelFolder(Path root, Path textEncoder, Path unet, Path vaeDecoder, Path vaeEncoder,
    Path tokenizerDir, Path schedulerConfig, SchedulerConfig scheduler, float vaeScalingFactor, int vaeDownscale,
    Integer textHidden, Integer crossAttnDim, Integer textVocab, LatentPreviewFactors preview) {

  public static final float DEFAULT_VAE_SCALING = 0.18215f;

  public static final String LAYOUT = String.join("\n",
      "  model_index.json",
      "  scheduler/scheduler_config.json",
      "  tokenizer/vocab.json, tokenizer/merges.txt",
      "  text_encoder/model.onnx",
      "  unet/model.onnx (weights may sit in external data files beside it)",
      "  vae_decoder/model.onnx",
      "  vae_encoder/model.onnx (needed for image-to-image and inpainting)");

  private static final ObjectMapper JSON = new ObjectMapper();

  public static ModelFolder open(Path dir) throws ModelException {
    Path root = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new ModelException("checkpoint folder " + root + " does not exist. A checkpoint is a folder in the "
          + "optimum/diffusers ONNX layout:\n" + LAYOUT);
    }
    readJson(root, "model_index.json");
    Path scheduler = require(root, "scheduler/scheduler_config.json");
    SchedulerConfig schedulerConfig = checked(() -> SchedulerConfigs.read(scheduler));
    Path tokenizer = require(root, "tokenizer/vocab.json").getParent();
    require(root, "tokenizer/merges.txt");
    Path text = require(root, "text_encoder/model.onnx");
    Path unet = require(root, "unet/model.onnx");
    Path decoder = require(root, "vae_decoder/model.onnx");
    Path encoder = Files.isRegularFile(root.resolve("vae_encoder/model.onnx")) ? root.resolve("vae_encoder/model.onnx")
        : null;

    float scaling = DEFAULT_VAE_SCALING;
    int downscale = 8;
    if (Files.isRegularFile(root.resolve("vae_decoder/config.json"))) {
      VaeConfig vae = checked(() -> VaeConfig.read(ConfigReader.json(root.resolve("vae_decoder/config.json"))));
      scaling = (float) vae.scalingFactor();
      downscale = vae.downscale();
    }
    Integer hidden = optionalJson(root, "text_encoder/config.json").map(c -> c.path("hidden_size"))
        .filter(JsonNode::isInt).map(JsonNode::asInt).orElse(null);
    Integer vocab = optionalJson(root, "text_encoder/config.json").map(c -> c.path("vocab_size"))
        .filter(JsonNode::isInt).map(JsonNode::asInt).orElse(null);
    Integer cross = optionalJson(root, "unet/config.json").map(c -> c.path("cross_attention_dim"))
        .filter(JsonNode::isInt).map(JsonNode::asInt).orElse(null);
    LatentPreviewFactors preview = null;
    Path previewFile = root.resolve("preview/latent_rgb_factors.json");
    if (Files.isRegularFile(previewFile)) {
      preview = LatentPreviewFactors.read(previewFile);
    }
    return new ModelFolder(root, text, unet, decoder, encoder, tokenizer, scheduler, schedulerConfig, scaling,
        downscale, hidden, cross, vocab, preview);
  }

  /** The folder as a runnable model; ONNX exports hold only the text encoder's last layer. */
  public SdModel toModel() {
    ModelSource textSource = ModelSource.of(textEncoder);
    SdModel.TextEncoders text = stop -> {
      if (stop != -1) {
        throw new ModelException("stopping the text encoder at layer " + stop + " needs a checkpoint Latent Studio "
            + "compiles itself (a .safetensors file or a diffusers folder); the ONNX export in " + root
            + " gives only the last layer's output");
      }
      return textSource;
    };
    return new SdModel(root, "ONNX folder", text, ModelSource.of(unet), ModelSource.of(vaeDecoder),
        vaeEncoder == null ? null : ModelSource.of(vaeEncoder), tokenizerDir, scheduler, vaeScalingFactor,
        vaeDownscale, textHidden, crossAttnDim, textVocab, preview, null);
  }

  private interface Check<T> {
    T get() throws CheckpointException;
  }

  private static <T> T checked(Check<T> check) throws ModelException {
    try {
      return check.get();
    } catch (CheckpointException e) {
      throw new ModelException(e.getMessage(), e);
    }
  }

  public String name() {
    return root.getFileName().toString();
  }

  /** The factors for live previews: the model's own, else SD1.5's. */
  public LatentPreviewFactors previewFactors() {
    return preview != null ? preview : LatentPreviewFactors.SD15;
  }

  private static Path require(Path root, String relative) throws ModelException {
    Path p = root.resolve(relative);
    if (!Files.isRegularFile(p)) {
      throw new ModelException("checkpoint " + root + " is missing " + relative + ". A checkpoint folder "
          + "in the optimum/diffusers ONNX layout contains:\n" + LAYOUT);
    }
    return p;
  }

  private static JsonNode readJson(Path root, String relative) throws ModelException {
    Path p = require(root, relative);
    try {
      JsonNode node = JSON.readTree(p.toFile());
      if (node == null || !node.isObject()) {
        throw new ModelException(p + " should hold a JSON object; re-export the checkpoint");
      }
      return node;
    } catch (IOException e) {
      throw new ModelException(p + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
          + "); re-export or re-download the checkpoint", e);
    }
  }

  private static Optional<JsonNode> optionalJson(Path root, String relative) throws ModelException {
    return Files.isRegularFile(root.resolve(relative)) ? Optional.of(readJson(root, relative)) : Optional.empty();
  }
}
