package org.latentstudio.diffusion;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scheduler config's training noise levels, worked out once per config: each sampler run built them again
 * (a thousand logarithms and square roots), a few percent of a small model's image outside ONNX Runtime. The
 * arrays are shared by every sampler of that config and must not be written to.
 *
 * @param alphasCumprod  {@code alphas_cumprod}, as {@link BetaSchedules#alphasCumprod} gives them
 * @param trainingSigmas {@code ((1 - alphas_cumprod) / alphas_cumprod) ** 0.5}
 * @param logSigmas      their logarithms, for mapping sigmas back to timesteps
 */
record TrainingNoise(float[] alphasCumprod, float[] trainingSigmas, float[] logSigmas) {
  private record Key(SchedulerConfig cfg, double defaultBetaStart, double defaultBetaEnd,
      BetaSchedules.ZeroSnr zeroSnr) {}

  private record Kept(Key key, TrainingNoise noise) {}

  private static final int MAX_KEPT = 64;
  private static final Map<Key, TrainingNoise> KEPT = new ConcurrentHashMap<>();
  /** The last one asked for, found by the config's identity: hashing a config's map each run cost as much again. */
  private static volatile Kept last;

  static TrainingNoise of(SchedulerConfig cfg, double defaultBetaStart, double defaultBetaEnd,
      BetaSchedules.ZeroSnr zeroSnr) {
    Kept recent = last;
    if (recent != null && recent.key().cfg() == cfg && recent.key().defaultBetaStart() == defaultBetaStart
        && recent.key().defaultBetaEnd() == defaultBetaEnd && recent.key().zeroSnr() == zeroSnr) {
      return recent.noise();
    }
    Key key = new Key(cfg, defaultBetaStart, defaultBetaEnd, zeroSnr);
    TrainingNoise kept = KEPT.get(key);
    if (kept != null) {
      last = new Kept(key, kept);
      return kept;
    }
    float[] alphasCumprod = BetaSchedules.alphasCumprod(cfg, defaultBetaStart, defaultBetaEnd, zeroSnr);
    float[] sigmas = Sigmas.training(alphasCumprod);
    TrainingNoise made = new TrainingNoise(alphasCumprod, sigmas, Sigmas.logs(sigmas));
    if (KEPT.size() >= MAX_KEPT) {
      KEPT.clear(); // configs come from the models in use: a handful
    }
    KEPT.put(key, made);
    last = new Kept(key, made);
    return made;
  }
}
