package org.latentstudio.nodes.loaders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.latentstudio.exec.Display;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.NodeException;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Services;
import org.latentstudio.lora.LoraException;
import org.latentstudio.lora.LoraFile;
import org.latentstudio.lora.LoraMatch;
import org.latentstudio.lora.LoraMatcher;
import org.latentstudio.lora.LoraPart;
import org.latentstudio.lora.LoraPatch;
import org.latentstudio.lora.LoraTargets;
import org.latentstudio.nodes.values.Checkpoint;
import org.latentstudio.nodes.values.ClipModel;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.ModelLibrary;
import org.latentstudio.runtime.OrtRuntime;

/**
 * What the LoRA loaders share: find the file, match its layers to the model's weights, say how many matched and
 * what was left out, and chain a patch onto the model and the CLIP. Nothing is merged here: the runtime merges when
 * the sampler or text encoder opens the patched session, and reuses sessions it already has.
 */
final class LoraApply {
  private static final int LISTED = 8;

  /** The patched values and what the node shows. */
  record Result(Checkpoint model, ClipModel clip, Display display) {}

  private LoraApply() {}

  /**
   * @param clip null for the model-only loader
   */
  static Result apply(Checkpoint model, ClipModel clip, String loraName, double strengthModel, double strengthClip,
      ExecContext ctx) throws NodeException {
    if (strengthModel == 0 && (clip == null || strengthClip == 0)) {
      // as ComfyUI: a LoRA at strength 0 is no LoRA, and its file is not even read
      return new Result(model, clip, Display.text("LoRA off (strength 0)"));
    }
    OrtRuntime runtime = ctx.service(OrtRuntime.class);
    try {
      LoraFile file = LoraFile.read(ctx.service(ModelLibrary.class).resolveLora(loraName));
      LoraTargets unet = runtime.loraTargets(model.model().unet(), LoraPart.UNET);
      LoraTargets text = clip == null ? null : runtime.loraTargets(clip.model().text().stoppingAt(-1),
          LoraPart.TEXT_ENCODER);
      LoraMatch match = LoraMatcher.match(file, unet, text);
      List<String> lines = new ArrayList<>();
      lines.add(file.name() + ": " + match.summary());
      if (!match.leftOut().isEmpty()) {
        String list = match.leftOutList(LISTED);
        lines.add("left out: " + list);
        ctx.warn(file.name() + " matched " + match.applied().size() + " of " + match.total() + " keys; "
            + match.leftOut().size() + " left out, the model has no weight for them: " + list);
      }
      Checkpoint patchedModel = model;
      if (strengthModel != 0 && !match.applied(LoraPart.UNET).isEmpty()) {
        patchedModel = model.withLora(LoraPatch.of(match, LoraPart.UNET, strengthModel));
      }
      ClipModel patchedClip = clip;
      if (clip != null && !match.applied(LoraPart.TEXT_ENCODER).isEmpty()) {
        if (strengthClip != 0) {
          patchedClip = clip.withLora(LoraPatch.of(match, LoraPart.TEXT_ENCODER, strengthClip));
        } else {
          lines.add("text encoder part off (strength_clip 0)");
        }
      }
      if (strengthModel == 0 && !match.applied(LoraPart.UNET).isEmpty()) {
        lines.add("UNet part off (strength_model 0)");
      }
      return new Result(patchedModel, patchedClip, new Display(lines, List.of(), List.of()));
    } catch (LoraException | ModelException e) {
      throw new NodeException(e.getMessage(), e);
    }
  }

  /**
   * The LoRA file, where the run would read it ({@link NodeType#missingFiles}): at strength 0 it does not (a
   * strength fed by a link counts as not 0).
   *
   * @param withClip whether the node patches the text encoder too (LoraLoader), so strength_clip counts
   */
  static Map<String, String> missing(Map<String, Object> literals, Services services, boolean withClip) {
    if (isZero(literals.get("strength_model")) && (!withClip || isZero(literals.get("strength_clip")))) {
      return Map.of();
    }
    try {
      Path p = services.require(ModelLibrary.class).resolveLora(String.valueOf(literals.get("lora_name")));
      return Files.isRegularFile(p) ? Map.of() : Map.of("lora_name", "LoRA file " + p + " does not exist");
    } catch (ModelException e) {
      return Map.of("lora_name", e.getMessage());
    }
  }

  private static boolean isZero(Object strength) {
    return strength instanceof Number n && n.doubleValue() == 0;
  }

  /** A LoRA file changed on disk must not be served from the node cache: its size and date join the key. */
  static String fingerprint(Map<String, Object> literals, Services services) {
    try {
      Path p = services.require(ModelLibrary.class).resolveLora(String.valueOf(literals.get("lora_name")));
      return p + "|" + Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis();
    } catch (ModelException | IOException | RuntimeException e) {
      return ""; // evaluate reports the problem
    }
  }
}
