package org.latentstudio.nodes.ipadapter;

import java.util.ArrayList;
import java.util.List;
import org.latentstudio.checkpoint.CheckpointException;
import org.latentstudio.compiler.CrossAttentionLayers;
import org.latentstudio.exec.Display;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeException;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.image.ClipImageProcessor;
import org.latentstudio.image.ImageBatch;
import org.latentstudio.nodes.Ports;
import org.latentstudio.nodes.values.Checkpoint;
import org.latentstudio.nodes.values.ClipVision;
import org.latentstudio.nodes.values.IpAdapter;
import org.latentstudio.nodes.values.IpAdapterPatch;
import org.latentstudio.runtime.ClipVisionEncoder;
import org.latentstudio.runtime.CompiledUNet;
import org.latentstudio.runtime.GraphCache;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.ModelSource;
import org.latentstudio.runtime.OrtRuntime;
import org.latentstudio.tensor.Tensor;

/**
 * ComfyUI_IPAdapter_plus's IPAdapterAdvanced (and its older name, IPAdapterApply): a reference picture lends its
 * look. The picture is preprocessed as {@code CLIPImageProcessor} does, encoded by the CLIP vision model and
 * projected to image tokens (the negative passes get the projection of a zero embedding); the model's UNet
 * becomes the variant with decoupled cross-attention, whose per-layer scales (weight × the weight type's
 * profile) apply while the noise level is between {@code percent_to_sigma(start_at)} and
 * {@code percent_to_sigma(end_at)}. The encoding runs here, so a new seed downstream does not run it again.
 */
public final class IPAdapterAdvanced implements NodeType {
  static final InPort<Double> WEIGHT = InPort.number("weight", 1, -1, 5).step(0.05)
      .tooltip("how strongly the reference picture counts; 0 leaves the model as it was");
  static final InPort<String> WEIGHT_TYPE = InPort.choice("weight_type", "linear", IpAdapterWeightTypes.NAMES)
      .tooltip("how the weight is spread over the UNet's layers (ComfyUI_IPAdapter_plus's profiles)");
  static final InPort<Double> START = InPort.number("start_at", 0, 0, 1).step(0.001);
  static final InPort<Double> END = InPort.number("end_at", 1, 0, 1).step(0.001);

  private final String typeId;
  private final String displayName;

  public IPAdapterAdvanced() {
    this("IPAdapterAdvanced", "IPAdapter Advanced");
  }

  private IPAdapterAdvanced(String typeId, String displayName) {
    this.typeId = typeId;
    this.displayName = displayName;
  }

  /** The same node under IPAdapter_plus's first name, so older workflows load. */
  public static IPAdapterAdvanced legacyApply() {
    return new IPAdapterAdvanced("IPAdapterApply", "Apply IPAdapter");
  }

  @Override
  public NodeSchema schema() {
    return NodeSchema.of(typeId, displayName, "ipadapter", List.of(Ports.MODEL_IN, Ports.IPADAPTER_IN,
        Ports.CLIP_VISION_IN, Ports.IMAGE_IN, WEIGHT, WEIGHT_TYPE, START, END), List.of(Ports.MODEL));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    Checkpoint model = in.get(Ports.MODEL_IN);
    IpAdapter adapter = in.get(Ports.IPADAPTER_IN);
    ClipVision vision = in.get(Ports.CLIP_VISION_IN);
    ImageBatch image = in.get(Ports.IMAGE_IN);
    double start = in.get(START);
    double end = in.get(END);
    if (start > end) {
      throw new NodeException("start_at " + start + " is after end_at " + end + "; lower start_at or raise end_at");
    }
    CompiledUNet unet = model.model().compiledUnet();
    if (unet == null) {
      throw new NodeException(model.model().root() + " is an ONNX folder, whose fixed UNet takes no IP-Adapter; load "
          + "the checkpoint's .safetensors file or diffusers folder, which Latent Studio compiles with it");
    }
    if (model.ipAdapter() != null) {
      throw new NodeException("this model already has the IP-Adapter " + model.ipAdapter().adapter().name()
          + "; Latent Studio applies one IP-Adapter per model");
    }
    try {
      List<long[]> layers = new ArrayList<>();
      for (CrossAttentionLayers.Layer l : CrossAttentionLayers.of(unet.config())) {
        layers.add(new long[] {l.fileKey(), l.width()});
      }
      adapter.checkpoint().checkFits(layers, unet.config().crossAttentionDim(), unet.name());
      adapter.checkpoint().checkEncoder(vision.checkpoint());
    } catch (CheckpointException e) {
      throw new NodeException(e.getMessage(), e);
    }
    OrtRuntime runtime = ctx.service(OrtRuntime.class);
    GraphCache cache = ctx.service(GraphCache.class);
    Tensor embeds;
    try (ClipVisionEncoder encoder = ClipVisionEncoder.open(runtime, vision.source(cache, runtime.compileOptions()))) {
      embeds = encoder.encode(ClipImageProcessor.pixelValues(image.toRgb(0), vision.checkpoint().config().imageSize()));
      ModelSource projection = adapter.projection(unet);
      Tensor cond = ClipVisionEncoder.project(runtime, projection, embeds);
      Tensor uncond = ClipVisionEncoder.project(runtime, projection, Tensor.zeros(embeds.shape()));
      float[] scales = IpAdapterWeightTypes.scales(in.get(WEIGHT_TYPE), in.get(WEIGHT), unet.config());
      IpAdapterPatch patch = new IpAdapterPatch(adapter, cond, uncond, scales, start, end);
      return Outputs.of(Ports.MODEL, model.withIpAdapter(patch))
          .withDisplay(Display.thumbnail(image.toRgb(0), "reference " + image.width() + "×" + image.height()));
    } catch (ModelException e) {
      throw new NodeException(e.getMessage(), e);
    }
  }
}
