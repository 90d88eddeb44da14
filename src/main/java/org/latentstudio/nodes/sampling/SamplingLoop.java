package org.latentstudio.nodes.sampling;

import org.latentstudio.diffusion.Sampler;
import org.latentstudio.diffusion.Samplers;
import org.latentstudio.diffusion.StepResult;
import org.latentstudio.diffusion.TorchGenerator;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.NodeException;
import org.latentstudio.nodes.values.Checkpoint;
import org.latentstudio.nodes.values.Conditioning;
import org.latentstudio.nodes.values.Latent;
import org.latentstudio.runtime.LatentPreviewFactors;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.OrtRuntime;
import org.latentstudio.runtime.UNet;
import org.latentstudio.tensor.Tensor;

/**
 * The sampler nodes' loop, in the shape of diffusers' StableDiffusionPipeline and its img2img and inpaint
 * variants:
 * <ol>
 *   <li>build the sampler from the model's scheduler config and set its timesteps;
 *   <li>seed one generator, {@code torch.Generator("cpu").manual_seed(seed)}, for every random draw;
 *   <li>prepare the starting latents: noise × init_noise_sigma for text-to-image; for image-to-image the
 *       picture's latent (drawn from the encoder's distribution first) noised to the first step;
 *   <li>per step: scale the input, one batched UNet call for all guidance passes, combine, step;
 *   <li>inpainting: keep the unmasked area on the original, noised to the next step's level;
 *   <li>report progress and previews of the predicted clean latent.
 * </ol>
 */
final class SamplingLoop {
  /** What to sample. */
  record Request(Checkpoint model, Conditioning positive, Conditioning negative, Latent latent, long seed,
      int steps, String samplerName, String schedule, float eta, float cfg, float negativeScale,
      int negativeStartStep) {}

  /**
   * Which part of the schedule to run, in steps.
   *
   * @param denoise   KSampler's denoise: below 1, image-to-image with diffusers' strength
   * @param fromStep  KSamplerAdvanced's start_at_step (0 for KSampler)
   * @param toStep    KSamplerAdvanced's end_at_step (steps or more: to the end)
   * @param addNoise  false continues from a latent that already carries noise
   * @param leftover  return the latent with its remaining noise when stopping early, rather than the
   *                  predicted clean latent
   */
  record Span(double denoise, int fromStep, int toStep, boolean addNoise, boolean leftover) {
    static Span full(double denoise) {
      return new Span(denoise, 0, Integer.MAX_VALUE, true, false);
    }
  }

  private SamplingLoop() {}

  static Latent run(Request r, Span span, ExecContext ctx) throws NodeException {
    return run(r, span, ctx, new java.util.ArrayList<>());
  }

  /** @param notes receives what the run wants the user to know (a control image that was resized) */
  static Latent run(Request r, Span span, ExecContext ctx, java.util.List<String> notes) throws NodeException {
    Sampler sampler = sampler(r);
    sampler.setTimesteps(r.steps());
    float[] timesteps = sampler.timesteps();
    int order = sampler.order();
    int begin = span.denoise() < 1 ? Samplers.img2imgBeginIndex(r.steps(), span.denoise(), order)
        : Math.min(span.fromStep(), r.steps()) * order;
    int end = span.toStep() >= r.steps() ? timesteps.length : Math.min(span.toStep() * order, timesteps.length);
    if (begin >= end) {
      throw new NodeException(span.denoise() < 1
          ? "denoise " + span.denoise() + " with " + r.steps() + " steps leaves no step to run; raise denoise or steps"
          : "start_at_step " + span.fromStep() + " is not before end_at_step " + span.toStep()
              + " (of " + r.steps() + " steps); lower start_at_step or raise end_at_step");
    }

    Latent latent = r.latent();
    int batch = latent.batch();
    int[] shape = latent.samples().shape();
    TorchGenerator generator = new TorchGenerator(r.seed());
    Tensor init = null;
    Tensor noise = null;
    Tensor x;
    if (!span.addNoise()) {
      x = latent.samples();
    } else if (begin == 0 && isEmpty(latent)) {
      noise = generator.randn(shape);
      x = noise.times(sampler.initNoiseSigma());
    } else {
      init = latent.distribution() != null ? drawFromDistribution(latent.distribution(), generator)
          : latent.samples();
      noise = generator.randn(shape);
      x = sampler.addNoise(init, noise, begin);
    }
    Tensor mask = latent.noiseMask();
    if (mask != null && init == null) {
      init = latent.samples();
    }

    GuidancePlan guidance = new GuidancePlan(r.positive(), r.negative(), r.cfg(), r.negativeScale(),
        r.negativeStartStep(), batch);
    LatentPreviewFactors previews = r.model().model().previewFactors();
    int previewEvery = ctx.settings().previewEvery();
    Tensor lastX0 = null;
    OrtRuntime runtime = ctx.service(OrtRuntime.class);
    try (UNetAddOns addOns = UNetAddOns.open(r, shape, runtime); UNet unet = UNet.openForCalls(runtime, addOns.unet(),
            firstCallShape(shape, guidance.passCount(begin / order)), guidance.context(begin / order).shape())) {
      notes.addAll(addOns.notes());
      InpaintInputs inpaint = inpaintInputs(unet, latent);
      for (int i = begin; i < end; i++) {
        ctx.checkCancelled();
        int step = i / order;
        Tensor scaled = sampler.scaleModelInput(x, i);
        int passes = guidance.passCount(step);
        Tensor[] inputs = new Tensor[passes];
        java.util.Arrays.fill(inputs, scaled);
        Tensor batched = Tensor.concat(inputs);
        // an inpainting UNet also takes the mask and the masked picture; ControlNets see the latents only
        Tensor input = inpaint != null ? inpaint.withInputs(scaled, passes) : batched;
        Tensor context = guidance.context(step);
        Tensor prediction = unet.predict(input, timesteps[i], context,
            addOns.extras(batched, timesteps[i], context, guidance.sides(step), batch));
        StepResult result = sampler.step(guidance.combine(prediction, step, batch), i, x, generator);
        x = result.prevSample();
        lastX0 = result.predOriginalSample();
        if (mask != null) {
          Tensor original = i + 1 < timesteps.length && noise != null ? sampler.addNoise(init, noise, i + 1) : init;
          x = blend(original, x, mask);
        }
        int done = i - begin + 1;
        ctx.progress(done, end - begin);
        if (previewEvery > 0 && (done % previewEvery == 0 || i == end - 1)) {
          ctx.preview(previews.project(lastX0 != null ? lastX0 : x, 0));
        }
      }
    } catch (ModelException e) {
      throw new NodeException(e.getMessage(), e);
    }
    if (!span.leftover() && end < timesteps.length && lastX0 != null) {
      x = mask == null ? lastX0 : blend(init, lastX0, mask);
    }
    return new Latent(x, mask, null);
  }

  /** The UNet input of a step with {@code passes} guidance passes: the latents stacked once per pass. */
  private static int[] firstCallShape(int[] latent, int passes) {
    int[] s = latent.clone();
    s[0] *= passes;
    return s;
  }

  /** An inpainting UNet's extra channels, or null for a UNet that takes just the latents. */
  private static InpaintInputs inpaintInputs(UNet unet, Latent latent) throws NodeException {
    int channels = latent.samples().dim(1);
    int in = unet.inChannels();
    if (in < 0 || in == channels) {
      return null;
    }
    if (in == 2 * channels + 1) {
      return InpaintInputs.of(latent);
    }
    throw new NodeException("the UNet takes " + in + " input channels but the latents have " + channels + "; "
        + "Latent Studio runs text-to-image UNets (" + channels + " channels) and inpainting UNets ("
        + (2 * channels + 1) + ": latents, mask, masked picture)");
  }

  private static Sampler sampler(Request r) throws NodeException {
    try {
      return Samplers.create(r.samplerName(), r.schedule(), r.model().model().scheduler(), r.eta());
    } catch (IllegalArgumentException e) {
      throw new NodeException(e.getMessage(), e);
    }
  }

  /** diffusers' {@code latent_dist.sample(generator) * scaling_factor}: the draw comes before the noise's. */
  private static Tensor drawFromDistribution(Latent.Distribution d, TorchGenerator generator) {
    Tensor eps = generator.randn(d.mean().shape());
    float[] m = d.mean().data();
    float[] s = d.std().data();
    float[] e = eps.data();
    float[] out = new float[m.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (m[i] + s[i] * e[i]) * d.scale();
    }
    return Tensor.of(out, d.mean().shape());
  }

  /** {@code (1 − mask)·original + mask·sampled}, the mask broadcast over channels (and batch if it has one). */
  private static Tensor blend(Tensor original, Tensor sampled, Tensor mask) {
    int b = sampled.dim(0);
    int c = sampled.dim(1);
    int plane = sampled.dim(2) * sampled.dim(3);
    float[] o = original.data();
    float[] s = sampled.data();
    float[] m = mask.data();
    float[] out = new float[s.length];
    for (int n = 0; n < b; n++) {
      int mb = (mask.dim(0) == 1 ? 0 : n) * plane;
      for (int ch = 0; ch < c; ch++) {
        int base = (n * c + ch) * plane;
        for (int i = 0; i < plane; i++) {
          float w = m[mb + i];
          out[base + i] = (1 - w) * o[base + i] + w * s[base + i];
        }
      }
    }
    return Tensor.of(out, sampled.shape());
  }

  private static boolean isEmpty(Latent latent) {
    if (latent.distribution() != null) {
      return false;
    }
    for (float v : latent.samples().data()) {
      if (v != 0f) {
        return false;
      }
    }
    return true;
  }
}
