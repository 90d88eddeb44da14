package org.latentstudio.nodes.sampling;

import java.util.ArrayList;
import java.util.List;
import org.latentstudio.diffusion.Guidance;
import org.latentstudio.nodes.values.Conditioning;
import org.latentstudio.tensor.Tensor;

/**
 * Which text contexts go into each UNet call and how the predictions combine, step by step.
 *
 * <ul>
 *   <li>negative scale 0: classic guidance, the negative prompt as the unconditional pass, one batched call on
 *       [negative, positive]; no unconditional pass at all when cfg ≤ 1, as in diffusers;
 *   <li>negative scale &gt; 0: the general form, one batched call on [empty, positive, negative].
 * </ul>
 * Before {@code negativeStartStep} the negative prompt is left out: classic guidance uses the empty prompt in
 * its place, the general form drops its term. Starting the negative late confines its effect to details.
 */
final class GuidancePlan {
  private final float cfg;
  private final float negativeScale;
  private final int negativeStartStep;
  private final Tensor[] early;
  private final Tensor[] late;
  /** Per pass, the conditioning whose add-ons (ControlNets) apply to it, and whether it is the positive one. */
  private final Conditioning[] earlySides;
  private final Conditioning[] lateSides;
  private final Tensor earlyContext;
  private final Tensor lateContext;

  GuidancePlan(Conditioning positive, Conditioning negative, float cfg, float negativeScale, int negativeStartStep,
      int batch) {
    this.cfg = cfg;
    this.negativeScale = negativeScale;
    this.negativeStartStep = negativeStartStep;
    if (negativeScale > 0) {
      late = contexts(batch, negative.empty(), positive.embeddings(), negative.embeddings());
      early = contexts(batch, negative.empty(), positive.embeddings());
      lateSides = new Conditioning[] {negative, positive, negative};
      earlySides = new Conditioning[] {negative, positive};
    } else if (cfg > 1) {
      late = contexts(batch, negative.embeddings(), positive.embeddings());
      early = contexts(batch, negative.empty(), positive.embeddings());
      lateSides = new Conditioning[] {negative, positive};
      earlySides = lateSides;
    } else {
      late = contexts(batch, positive.embeddings());
      early = late;
      lateSides = new Conditioning[] {positive};
      earlySides = lateSides;
    }
    // built once: the same context goes to every UNet call of a phase
    earlyContext = Tensor.concat(early);
    lateContext = Tensor.concat(late);
  }

  /** The batched context for the UNet call at this step: the passes stacked along the batch axis. */
  Tensor context(int step) {
    return step >= negativeStartStep ? lateContext : earlyContext;
  }

  /**
   * The conditioning each pass of this step's UNet call stands for (the negative one for the unconditional
   * passes), whose ControlNets apply to that pass. The positive pass is the one at index 1 (or 0 without guidance).
   */
  Conditioning[] sides(int step) {
    return step >= negativeStartStep ? lateSides : earlySides;
  }

  int passCount(int step) {
    return passes(step).length;
  }

  private Tensor[] passes(int step) {
    return step >= negativeStartStep ? late : early;
  }

  /** Combines the UNet's output for all passes of this step into the one prediction. */
  Tensor combine(Tensor prediction, int step, int batch) {
    int n = passCount(step);
    if (n == 1) {
      return prediction;
    }
    Tensor first = prediction.slice(0, batch);
    Tensor second = prediction.slice(batch, 2 * batch);
    if (negativeScale > 0) {
      Tensor negative = n == 3 ? prediction.slice(2 * batch, 3 * batch) : first;
      return Guidance.separate(first, second, negative, cfg, n == 3 ? negativeScale : 0f);
    }
    return Guidance.classic(first, second, cfg);
  }

  /**
   * Each pass's context repeated for the latent batch, all brought to one token length: prompts longer than
   * 75 tokens have more 77-token chunks, and shorter contexts are repeated to the least common multiple of
   * the lengths, as ComfyUI does.
   */
  private static Tensor[] contexts(int batch, Tensor... perPass) {
    int length = 1;
    for (Tensor t : perPass) {
      length = lcm(length, t.dim(1));
    }
    List<Tensor> out = new ArrayList<>();
    for (Tensor t : perPass) {
      Tensor stretched = repeatTokens(t, length / t.dim(1));
      Tensor[] copies = new Tensor[batch];
      java.util.Arrays.fill(copies, stretched);
      out.add(Tensor.concat(copies));
    }
    return out.toArray(Tensor[]::new);
  }

  private static Tensor repeatTokens(Tensor t, int times) {
    if (times == 1) {
      return t;
    }
    int per = t.dim(1) * t.dim(2);
    float[] out = new float[per * times];
    for (int k = 0; k < times; k++) {
      System.arraycopy(t.data(), 0, out, k * per, per);
    }
    return Tensor.of(out, 1, t.dim(1) * times, t.dim(2));
  }

  private static int lcm(int a, int b) {
    int x = a;
    int y = b;
    while (y != 0) {
      int r = x % y;
      x = y;
      y = r;
    }
    return a / x * b;
  }
}
