package org.latentstudio.nodes;

import org.latentstudio.exec.NodeRegistry;
import org.latentstudio.nodes.conditioning.CLIPTextEncode;
import org.latentstudio.nodes.control.ControlNetApply;
import org.latentstudio.nodes.control.ControlNetApplyAdvanced;
import org.latentstudio.nodes.control.ControlNetLoader;
import org.latentstudio.nodes.ipadapter.CLIPVisionLoader;
import org.latentstudio.nodes.ipadapter.IPAdapterAdvanced;
import org.latentstudio.nodes.ipadapter.IPAdapterModelLoader;
import org.latentstudio.nodes.preprocess.Canny;
import org.latentstudio.nodes.preprocess.ImageInvert;
import org.latentstudio.nodes.preprocess.ImageScaleToFit;
import org.latentstudio.nodes.preprocess.ImageThreshold;
import org.latentstudio.nodes.image.LoadImage;
import org.latentstudio.nodes.image.PreviewImage;
import org.latentstudio.nodes.image.SaveImage;
import org.latentstudio.nodes.latent.EmptyLatentImage;
import org.latentstudio.nodes.latent.LatentUpscale;
import org.latentstudio.nodes.latent.SetLatentNoiseMask;
import org.latentstudio.nodes.loaders.CheckpointLoader;
import org.latentstudio.nodes.loaders.LoraLoader;
import org.latentstudio.nodes.loaders.LoraLoaderModelOnly;
import org.latentstudio.nodes.primitive.FloatMath;
import org.latentstudio.nodes.primitive.IntMath;
import org.latentstudio.nodes.primitive.PrimitiveBoolean;
import org.latentstudio.nodes.primitive.PrimitiveFloat;
import org.latentstudio.nodes.primitive.PrimitiveInt;
import org.latentstudio.nodes.primitive.PrimitiveString;
import org.latentstudio.nodes.primitive.StringConcat;
import org.latentstudio.nodes.sampling.KSampler;
import org.latentstudio.nodes.sampling.KSamplerAdvanced;
import org.latentstudio.nodes.util.Note;
import org.latentstudio.nodes.util.Reroute;
import org.latentstudio.nodes.util.ShowValue;
import org.latentstudio.nodes.vae.VAEDecode;
import org.latentstudio.nodes.vae.VAEEncode;

/** The catalog of node types that ship with the studio. Adding a node type means adding one line here. */
public final class BuiltinNodes {
  private BuiltinNodes() {}

  public static NodeRegistry registry() {
    return new NodeRegistry()
        .register(new CheckpointLoader())
        .register(new LoraLoader())
        .register(new LoraLoaderModelOnly())
        .register(new CLIPTextEncode())
        .register(new KSampler())
        .register(new KSamplerAdvanced())
        .register(new EmptyLatentImage())
        .register(new LatentUpscale())
        .register(new SetLatentNoiseMask())
        .register(new VAEDecode())
        .register(new VAEEncode())
        .register(new ControlNetLoader())
        .register(new ControlNetApplyAdvanced())
        .register(new ControlNetApply())
        .register(new IPAdapterModelLoader())
        .register(new CLIPVisionLoader())
        .register(new IPAdapterAdvanced())
        .register(IPAdapterAdvanced.legacyApply())
        .register(new Canny())
        .register(new ImageInvert())
        .register(new ImageThreshold())
        .register(new ImageScaleToFit())
        .register(new LoadImage())
        .register(new SaveImage())
        .register(new PreviewImage())
        .register(new PrimitiveInt())
        .register(new PrimitiveFloat())
        .register(new PrimitiveString())
        .register(new PrimitiveBoolean())
        .register(new IntMath())
        .register(new FloatMath())
        .register(new StringConcat())
        .register(new ShowValue())
        .register(new Reroute())
        .register(new Note());
  }
}
