package org.latentstudio.control;

import java.nio.file.Path;
import org.latentstudio.testing.GraphBuilder;

/** Text-to-image graphs with ControlNets or an IP-Adapter, as a user wires them, for the tests. */
final class ControlGraphs {
  private ControlGraphs() {}

  /** Checkpoint, prompts, empty latent, KSampler (euler, normal), decode, preview; nodes "pos"/"neg" feed "sampler". */
  static GraphBuilder base(Path checkpoint, String prompt, long seed, int steps, double cfg, int size) {
    return new GraphBuilder()
        .node("ckpt", "CheckpointLoader", "path", checkpoint.toString())
        .node("pos", "CLIPTextEncode", "text", prompt)
        .node("neg", "CLIPTextEncode", "text", "")
        .node("latent", "EmptyLatentImage", "width", size, "height", size)
        .node("sampler", "KSampler", "seed", seed, "steps", steps, "cfg", cfg, "sampler_name", "euler",
            "scheduler", "normal")
        .node("decode", "VAEDecode")
        .node("preview", "PreviewImage")
        .link("ckpt.CLIP", "pos.clip").link("ckpt.CLIP", "neg.clip")
        .link("latent.LATENT", "sampler.latent_image")
        .link("sampler.LATENT", "decode.samples").link("ckpt.VAE", "decode.vae")
        .link("decode.IMAGE", "preview.images");
  }

  /** Plain: the prompts straight into the sampler. */
  static GraphBuilder plain(GraphBuilder g) {
    return g.link("ckpt.MODEL", "sampler.model").link("pos.CONDITIONING", "sampler.positive")
        .link("neg.CONDITIONING", "sampler.negative");
  }

  /**
   * ControlNets chained on both prompts: net i from {@code nets[i]} with image {@code images[i]} and its strength,
   * window {@code start}..{@code end}.
   */
  static GraphBuilder controlled(GraphBuilder g, Path[] nets, Path[] images, double[] strengths, double start,
      double end) {
    g.link("ckpt.MODEL", "sampler.model");
    String pos = "pos.CONDITIONING";
    String neg = "neg.CONDITIONING";
    for (int i = 0; i < nets.length; i++) {
      g.node("cn" + i, "ControlNetLoader", "control_net_name", nets[i].toString())
          .node("img" + i, "LoadImage", "image", images[i].toString())
          .node("apply" + i, "ControlNetApplyAdvanced", "strength", strengths[i], "start_percent", start,
              "end_percent", end)
          .link(pos, "apply" + i + ".positive").link(neg, "apply" + i + ".negative")
          .link("cn" + i + ".CONTROL_NET", "apply" + i + ".control_net").link("img" + i + ".IMAGE", "apply" + i + ".image");
      pos = "apply" + i + ".positive";
      neg = "apply" + i + ".negative";
    }
    return g.link(pos, "sampler.positive").link(neg, "sampler.negative");
  }

  /** One IP-Adapter on the model. */
  static GraphBuilder ipAdapter(GraphBuilder g, Path adapter, Path encoder, Path reference, double weight,
      String weightType, double start, double end) {
    return g.node("ipa", "IPAdapterModelLoader", "ipadapter_file", adapter.toString())
        .node("vision", "CLIPVisionLoader", "clip_name", encoder.toString())
        .node("ref", "LoadImage", "image", reference.toString())
        .node("apply_ip", "IPAdapterAdvanced", "weight", weight, "weight_type", weightType, "start_at", start,
            "end_at", end)
        .link("ckpt.MODEL", "apply_ip.model").link("ipa.IPADAPTER", "apply_ip.ipadapter")
        .link("vision.CLIP_VISION", "apply_ip.clip_vision").link("ref.IMAGE", "apply_ip.image")
        .link("apply_ip.MODEL", "sampler.model")
        .link("pos.CONDITIONING", "sampler.positive").link("neg.CONDITIONING", "sampler.negative");
  }
}
