package org.latentstudio.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import org.latentstudio.checkpoint.CheckpointException;
import org.latentstudio.checkpoint.SdCheckpoint;
import org.latentstudio.compiler.ClipTextGraph;
import org.latentstudio.compiler.CompileOptions;
import org.latentstudio.compiler.CompiledGraph;
import org.latentstudio.compiler.Compiler;
import org.latentstudio.compiler.UNetGraph;
import org.latentstudio.compiler.UNetVariant;
import org.latentstudio.compiler.VaeGraph;
import org.latentstudio.weights.StoredTensor;
import org.latentstudio.weights.WeightSet;

/**
 * Turns a checkpoint read from the user's files into a runnable {@link SdModel}: each component becomes a
 * {@link ModelSource.Compiled} whose graph is built on first load, or taken from the {@link GraphCache}.
 */
public final class CompiledCheckpoint {
  private CompiledCheckpoint() {}

  /** A component's graph builder, which may refuse the checkpoint. */
  @FunctionalInterface
  public interface Build {
    CompiledGraph build() throws CheckpointException;
  }

  public static SdModel of(SdCheckpoint c, GraphCache cache, CompileOptions options, LatentPreviewFactors preview) {
    String opts = options.toString();
    SdCheckpoint.Part<?> t = c.textEncoder();
    SdCheckpoint.Part<?> u = c.unet();
    SdCheckpoint.Part<?> v = c.vae();
    SdModel.TextEncoders text = stop -> source(cache, t, "text encoder stop " + stop, opts,
        () -> ClipTextGraph.build(c.textEncoder().config(), t.weights(), t.folder(), stop, options, t.origin()));
    ModelSource unet = source(cache, u, "UNet", opts,
        () -> UNetGraph.build(c.unet().config(), u.weights(), u.folder(), options, u.origin()));
    // the variant is in the role; an IP-Adapter's file (its weights are in the graph) in the identity
    java.util.Map<String, ModelSource> made = new java.util.concurrent.ConcurrentHashMap<>();
    made.put(unet.key(), unet);
    CompiledUNet.Variants variants = new CompiledUNet.Variants() {
      @Override
      public ModelSource unet(UNetVariant variant) {
        ModelSource s = variant.isPlain() ? unet : component(cache, u.config()
            + (variant.ipAdapter() != null ? "|ip " + fingerprint(variant.ipAdapter().weights()) : ""), u.weights(),
            UNetGraph.weightsFolder(u.folder(), variant), u.origin(), "UNet " + variant.describe(), opts,
            () -> UNetGraph.build(c.unet().config(), u.weights(), u.folder(), options, u.origin(), variant));
        made.putIfAbsent(s.key(), s);
        return s;
      }

      @Override
      public java.util.List<ModelSource> made() {
        return java.util.List.copyOf(made.values());
      }
    };
    ModelSource decoder = source(cache, v, "VAE decoder", opts,
        () -> VaeGraph.decoder(c.vae().config(), v.weights(), v.folder(), options, v.origin()));
    ModelSource encoder = source(cache, v, "VAE encoder", opts,
        () -> VaeGraph.encoder(c.vae().config(), v.weights(), v.folder(), options, v.origin()));
    return new SdModel(c.origin(), c.format(), text, unet, decoder, encoder, c.tokenizerDir(), c.scheduler(),
        (float) c.vae().config().scalingFactor(), c.vae().config().downscale(), c.textEncoder().config().hiddenSize(),
        c.unet().config().crossAttentionDim(), c.textEncoder().config().vocabSize(), preview,
        new CompiledUNet(c.unet().config(), c.origin().toString(), cache, options, variants));
  }

  private static ModelSource source(GraphCache cache, SdCheckpoint.Part<?> part, String role, String options,
      Build build) {
    return component(cache, part.config(), part.weights(), part.folder(), part.origin(), role, options, build);
  }

  /**
   * A compiled component: its key holds the compiler code's digest, role, options, config and the weight files'
   * fingerprint, so a change to any of them makes a new graph and session.
   */
  public static ModelSource component(GraphCache cache, Object config, WeightSet weights, Path folder, String origin,
      String role, String options, Build build) {
    String identity = "compiler " + Compiler.fingerprint() + "|" + role + "|" + options + "|" + config + "|"
        + fingerprint(weights);
    long bytes = 4 * weights.byName().values().stream().mapToLong(StoredTensor::elements).sum();
    return new ModelSource.Compiled(identity, origin, bytes,
        () -> cache.get(identity, folder, role, () -> {
          try {
            return build.build();
          } catch (CheckpointException e) {
            throw new ModelException(e.getMessage(), e);
          }
        }));
  }

  /** The weight files' paths, sizes and modification times: a changed file makes a new graph and session. */
  static String fingerprint(WeightSet weights) {
    TreeSet<Path> files = new TreeSet<>();
    weights.byName().values().forEach(t -> files.add(t.file()));
    StringBuilder sb = new StringBuilder();
    for (Path f : files) {
      sb.append(f);
      try {
        sb.append(':').append(Files.size(f)).append('@').append(Files.getLastModifiedTime(f).toMillis());
      } catch (IOException e) {
        sb.append(":unreadable");
      }
      sb.append(';');
    }
    return sb.toString();
  }
}
