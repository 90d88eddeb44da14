package org.latentstudio.nodes;

import org.latentstudio.graph.InPort;
import org.latentstudio.graph.OutPort;
import org.latentstudio.graph.PortType;
import org.latentstudio.image.ImageBatch;
import org.latentstudio.nodes.values.Checkpoint;
import org.latentstudio.nodes.values.ClipVision;
import org.latentstudio.nodes.values.ControlNet;
import org.latentstudio.nodes.values.IpAdapter;
import org.latentstudio.nodes.values.ClipModel;
import org.latentstudio.nodes.values.Conditioning;
import org.latentstudio.nodes.values.Latent;
import org.latentstudio.nodes.values.Mask;
import org.latentstudio.nodes.values.VaeModel;

/** The ports many node types share, declared once so names and types stay consistent across the catalog. */
public final class Ports {
  private Ports() {}

  public static final InPort<Checkpoint> MODEL_IN = InPort.linked("model", PortType.MODEL, Checkpoint.class);
  public static final InPort<ClipModel> CLIP_IN = InPort.linked("clip", PortType.CLIP, ClipModel.class);
  public static final InPort<VaeModel> VAE_IN = InPort.linked("vae", PortType.VAE, VaeModel.class);
  public static final InPort<Latent> SAMPLES_IN = InPort.linked("samples", PortType.LATENT, Latent.class);
  public static final InPort<ImageBatch> IMAGES_IN = InPort.linked("images", PortType.IMAGE, ImageBatch.class);
  public static final InPort<Mask> MASK_IN = InPort.linked("mask", PortType.MASK, Mask.class);
  public static final InPort<Conditioning> POSITIVE_IN =
      InPort.linked("positive", PortType.CONDITIONING, Conditioning.class);
  public static final InPort<Conditioning> CONDITIONING_IN =
      InPort.linked("conditioning", PortType.CONDITIONING, Conditioning.class);
  public static final InPort<Conditioning> NEGATIVE_IN =
      InPort.linked("negative", PortType.CONDITIONING, Conditioning.class);

  public static final InPort<ImageBatch> IMAGE_IN = InPort.linked("image", PortType.IMAGE, ImageBatch.class);
  public static final InPort<ControlNet> CONTROL_NET_IN =
      InPort.linked("control_net", PortType.CONTROL_NET, ControlNet.class);
  public static final InPort<IpAdapter> IPADAPTER_IN = InPort.linked("ipadapter", PortType.IP_ADAPTER, IpAdapter.class);
  public static final InPort<ClipVision> CLIP_VISION_IN =
      InPort.linked("clip_vision", PortType.CLIP_VISION, ClipVision.class);

  public static final OutPort<Checkpoint> MODEL = OutPort.of("MODEL", PortType.MODEL, Checkpoint.class);
  public static final OutPort<ControlNet> CONTROL_NET = OutPort.of("CONTROL_NET", PortType.CONTROL_NET,
      ControlNet.class);
  public static final OutPort<IpAdapter> IPADAPTER = OutPort.of("IPADAPTER", PortType.IP_ADAPTER, IpAdapter.class);
  public static final OutPort<ClipVision> CLIP_VISION = OutPort.of("CLIP_VISION", PortType.CLIP_VISION,
      ClipVision.class);
  public static final OutPort<ClipModel> CLIP = OutPort.of("CLIP", PortType.CLIP, ClipModel.class);
  public static final OutPort<VaeModel> VAE = OutPort.of("VAE", PortType.VAE, VaeModel.class);
  public static final OutPort<Latent> LATENT = OutPort.of("LATENT", PortType.LATENT, Latent.class);
  public static final OutPort<ImageBatch> IMAGE = OutPort.of("IMAGE", PortType.IMAGE, ImageBatch.class);
  public static final OutPort<Mask> MASK = OutPort.of("MASK", PortType.MASK, Mask.class);
  public static final OutPort<Conditioning> CONDITIONING =
      OutPort.of("CONDITIONING", PortType.CONDITIONING, Conditioning.class);
}
