package org.latentstudio.nodes.sampling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentstudio.checkpoint.CheckpointException;
import org.latentstudio.checkpoint.ControlNetConfig;
import org.latentstudio.compiler.ControlNetGraph;
import org.latentstudio.compiler.UNetVariant;
import org.latentstudio.diffusion.NoiseLevels;
import org.latentstudio.exec.NodeException;
import org.latentstudio.nodes.values.Conditioning;
import org.latentstudio.nodes.values.Control;
import org.latentstudio.nodes.values.IpAdapterPatch;
import org.latentstudio.runtime.CompiledUNet;
import org.latentstudio.runtime.ControlNetModel;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.ModelSource;
import org.latentstudio.runtime.OrtRuntime;
import org.latentstudio.runtime.SdModel;
import org.latentstudio.runtime.UNetExtras;
import org.latentstudio.tensor.Resample;
import org.latentstudio.tensor.Tensor;

/**
 * The ControlNets and the IP-Adapter of one sampler run, step by step.
 * <ul>
 *   <li>Which UNet runs: the plain one, or one variant that takes the residuals and/or the image tokens for the
 *       whole run (fed zeros and a zero scale while nothing is active), so one UNet is loaded, never two.
 *   <li>Each control image is fitted to the latent once: ComfyUI's centre crop to the latent's aspect, then
 *       nearest-exact to latent × the VAE's downscale; the sampler node reports the resize.
 *   <li>Per UNet call, at the call's noise level: each active ControlNet runs on the passes whose conditioning
 *       carries it, its residuals (times its strength) summed into those passes' slots; the IP-Adapter's layer
 *       scales apply inside its window, else zeros.
 * </ul>
 */
final class UNetAddOns implements AutoCloseable {
  private record Applied(Control control, ControlNetModel model, Tensor hint) {}

  private final SdModel model;
  /** The windows' noise levels; null without add-ons, where working them out was a needless part of each run. */
  private final NoiseLevels levels;
  private final IpAdapterPatch ip;
  private final Map<Control, Applied> controls = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private final int[][] singleShapes;
  private final ModelSource unet;

  private UNetAddOns(SdModel model, IpAdapterPatch ip, int[][] singleShapes, ModelSource unet) {
    this.model = model;
    this.levels = singleShapes == null ? null : NoiseLevels.of(model.scheduler());
    this.ip = ip;
    this.singleShapes = singleShapes;
    this.unet = unet;
  }

  /** Opens what the run needs; the ControlNets are compiled against this model's UNet on first use. */
  static UNetAddOns open(SamplingLoop.Request r, int[] latentShape, OrtRuntime runtime) throws NodeException {
    SdModel model = r.model().model();
    List<Control> all = new ArrayList<>();
    for (Conditioning c : new Conditioning[] {r.positive(), r.negative()}) {
      for (Control control : c.controls()) {
        if (!all.contains(control)) {
          all.add(control);
        }
      }
    }
    IpAdapterPatch ip = r.model().ipAdapter();
    CompiledUNet compiled = model.compiledUnet();
    if (all.isEmpty() && ip == null) {
      if (compiled != null) {
        compiled.releaseAllBut(model.unet(), runtime);
      }
      return new UNetAddOns(model, null, null, r.model().unet());
    }
    if (compiled == null) {
      throw new NodeException(model.root() + " is an ONNX folder, whose fixed UNet takes no " + (all.isEmpty()
          ? "IP-Adapter" : "ControlNet") + " inputs; load the checkpoint's .safetensors file or diffusers folder, "
          + "which Latent Studio compiles with them");
    }
    UNetVariant variant = new UNetVariant(!all.isEmpty(), ip == null ? null : ip.adapter().layers());
    int[][] shapes = ControlNetGraph.residualShapes(compiled.config(), 1, latentShape[2], latentShape[3]);
    compiled.releaseAllBut(compiled.unet(variant), runtime);
    ModelSource unet = compiled.unet(variant).withLoras(r.model().loras());
    UNetAddOns addOns = new UNetAddOns(model, ip, shapes, unet);
    try {
      for (Control control : all) {
        ControlNetConfig config = control.net().configFor(compiled);
        if (config.downscale() != model.vaeDownscale()) {
          throw new NodeException("the ControlNet " + control.net().name() + " shrinks its control image "
              + config.downscale() + "×, but the latents of " + model.name() + " are 1/" + model.vaeDownscale()
              + " of the picture: it was made for another model family");
        }
        Tensor hint = addOns.fit(control, latentShape[2] * model.vaeDownscale(), latentShape[3] * model.vaeDownscale());
        addOns.controls.put(control, new Applied(control, ControlNetModel.open(runtime, control.net().source(compiled)),
            hint));
      }
    } catch (CheckpointException | ModelException e) {
      addOns.close();
      throw new NodeException(e.getMessage(), e);
    } catch (NodeException e) {
      addOns.close();
      throw e;
    }
    return addOns;
  }

  ModelSource unet() {
    return unet;
  }

  /** Messages for the sampler node to show (control images that were resized). */
  List<String> notes() {
    return notes;
  }

  /** ComfyUI's common_upscale(hint, w, h, "nearest-exact", "center"), saying so when the size changes. */
  private Tensor fit(Control control, int height, int width) {
    Tensor img = control.image();
    int h = img.dim(2);
    int w = img.dim(3);
    if (h == height && w == width) {
      return img;
    }
    double oldAspect = (double) w / h;
    double newAspect = (double) width / height;
    int x = 0;
    int y = 0;
    if (oldAspect > newAspect) {
      x = (int) Math.rint((w - w * (newAspect / oldAspect)) / 2);
    } else if (oldAspect < newAspect) {
      y = (int) Math.rint((h - h * (oldAspect / newAspect)) / 2);
    }
    Tensor cropped = crop(img, y, x, h - 2 * y, w - 2 * x);
    notes.add("control image for " + control.net().name() + " resized from " + w + "×" + h + " to " + width + "×"
        + height + (x > 0 || y > 0 ? " (centre-cropped to " + (w - 2 * x) + "×" + (h - 2 * y) + " first)" : "")
        + " to fit the latent");
    return Resample.resize(cropped, height, width, Resample.Method.NEAREST_EXACT);
  }

  private static Tensor crop(Tensor img, int top, int left, int h, int w) {
    int c = img.dim(1);
    int ih = img.dim(2);
    int iw = img.dim(3);
    float[] out = new float[c * h * w];
    for (int ch = 0; ch < c; ch++) {
      for (int yy = 0; yy < h; yy++) {
        System.arraycopy(img.data(), (ch * ih + top + yy) * iw + left, out, (ch * h + yy) * w, w);
      }
    }
    return Tensor.of(out, 1, c, h, w);
  }

  /**
   * The extra inputs of one UNet call.
   *
   * @param sample  the batched UNet input, passes stacked [passes·batch, C, h, w]
   * @param context the batched text context
   * @param sides   per pass, the conditioning it stands for
   * @param batch   latents per pass
   */
  UNetExtras extras(Tensor sample, float timestep, Tensor context, Conditioning[] sides, int batch)
      throws ModelException {
    if (controls.isEmpty() && ip == null) {
      return UNetExtras.NONE;
    }
    int passes = sides.length;
    int rows = passes * batch;
    int[][] shapes = new int[singleShapes.length][];
    for (int i = 0; i < shapes.length; i++) {
      shapes[i] = singleShapes[i].clone();
      shapes[i][0] = rows;
    }
    Tensor[] sum = null;
    for (Applied a : controls.values()) {
      Control c = a.control();
      if (c.strength() == 0 || !levels.active(c.startPercent(), c.endPercent(), timestep)) {
        continue;
      }
      List<Integer> on = new ArrayList<>();
      for (int p = 0; p < passes; p++) {
        if (sides[p].controls().contains(c)) {
          on.add(p);
        }
      }
      if (on.isEmpty()) {
        continue;
      }
      Tensor[] r = on.size() == passes
          ? a.model().residuals(sample, timestep, context, repeat(a.hint(), rows), (float) c.strength(), shapes)
          : scatter(a, on, sample, timestep, context, batch, shapes, passes);
      sum = sum == null ? r : add(sum, r);
    }
    Tensor tokens = null;
    float[] scale = null;
    if (ip != null) {
      Tensor[] perPass = new Tensor[rows];
      for (int p = 0; p < passes; p++) {
        for (int b = 0; b < batch; b++) {
          perPass[p * batch + b] = passes == 1 || p == 1 ? ip.cond() : ip.uncond();
        }
      }
      tokens = Tensor.concat(perPass);
      scale = levels.active(ip.startPercent(), ip.endPercent(), timestep) ? ip.layerScales()
          : new float[ip.layerScales().length];
    }
    return new UNetExtras(controls.isEmpty() ? null : sum, controls.isEmpty() ? null : shapes, tokens, scale);
  }

  /** Runs a ControlNet on some passes only (ControlNetApply on the positive prompt) and places its residuals. */
  private Tensor[] scatter(Applied a, List<Integer> on, Tensor sample, float timestep, Tensor context, int batch,
      int[][] shapes, int passes) throws ModelException {
    Tensor[] samples = new Tensor[on.size()];
    Tensor[] contexts = new Tensor[on.size()];
    for (int k = 0; k < on.size(); k++) {
      int p = on.get(k);
      samples[k] = sample.slice(p * batch, (p + 1) * batch);
      contexts[k] = context.slice(p * batch, (p + 1) * batch);
    }
    int[][] subShapes = new int[shapes.length][];
    for (int i = 0; i < shapes.length; i++) {
      subShapes[i] = shapes[i].clone();
      subShapes[i][0] = on.size() * batch;
    }
    Tensor[] sub = a.model().residuals(Tensor.concat(samples), timestep, Tensor.concat(contexts),
        repeat(a.hint(), on.size() * batch), (float) a.control().strength(), subShapes);
    Tensor[] full = new Tensor[shapes.length];
    for (int i = 0; i < shapes.length; i++) {
      float[] out = new float[java.util.Arrays.stream(shapes[i]).reduce(1, (x, y) -> x * y)];
      int per = out.length / (passes * batch) * batch;
      for (int k = 0; k < on.size(); k++) {
        System.arraycopy(sub[i].data(), k * per, out, on.get(k) * per, per);
      }
      full[i] = Tensor.of(out, shapes[i]);
    }
    return full;
  }

  private static Tensor[] add(Tensor[] a, Tensor[] b) {
    Tensor[] out = new Tensor[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].plus(b[i]);
    }
    return out;
  }

  private final Map<Integer, Map<Tensor, Tensor>> repeats = new LinkedHashMap<>();

  /** The hint for {@code rows} batch entries, made once per size. */
  private Tensor repeat(Tensor hint, int rows) {
    return repeats.computeIfAbsent(rows, k -> new java.util.IdentityHashMap<>()).computeIfAbsent(hint, h -> {
      Tensor[] copies = new Tensor[rows];
      java.util.Arrays.fill(copies, h);
      return Tensor.concat(copies);
    });
  }

  @Override
  public void close() {
    controls.values().forEach(a -> a.model().close());
  }
}
