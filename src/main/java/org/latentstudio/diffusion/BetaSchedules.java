package org.latentstudio.diffusion;

import java.util.List;

/**
 * The training noise schedule: betas and {@code alphas_cumprod}, as every diffusers scheduler's constructor
 * computes them (in float32 torch, which is why {@link Numerics#torchLinspace} and
 * {@link Numerics#torchCumprod} reproduce torch's kernels).
 */
public final class BetaSchedules {
  /** The {@code beta_schedule} values supported: those all eight samplers accept in diffusers 0.30.3. */
  public static final List<String> NAMES = List.of("linear", "scaled_linear", "squaredcos_cap_v2");

  /** How a scheduler treats {@code rescale_betas_zero_snr}: not every diffusers scheduler takes the key. */
  enum ZeroSnr {
    /** The scheduler has no such parameter; diffusers drops the key (Heun, LMS, PNDM). */
    IGNORED,
    /** Rescale the betas (DDIM, DDPM). */
    RESCALE,
    /** Rescale, then set the last {@code alphas_cumprod} to 2^-24 so the last sigma is finite (Euler, Euler
     * ancestral, DPM-Solver). */
    RESCALE_AND_CLAMP_LAST
  }

  private BetaSchedules() {}

  /** {@code beta_schedule}'s betas for {@code n} training steps, in float32. */
  public static float[] betas(String schedule, double betaStart, double betaEnd, int n) {
    return switch (schedule) {
      case "linear" -> Numerics.torchLinspace(betaStart, betaEnd, n);
      case "scaled_linear" -> {
        float[] b = Numerics.torchLinspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), n);
        for (int i = 0; i < n; i++) {
          b[i] = b[i] * b[i];
        }
        yield b;
      }
      case "squaredcos_cap_v2" -> squaredCosCapV2(n);
      default -> throw new IllegalArgumentException("beta_schedule '" + schedule + "' is not supported; expected one of "
          + NAMES);
    };
  }

  /** diffusers' {@code betas_for_alpha_bar} with the cosine transform (Nichol and Dhariwal), max beta 0.999. */
  public static float[] squaredCosCapV2(int n) {
    float[] b = new float[n];
    for (int i = 0; i < n; i++) {
      double t1 = (double) i / n;
      double t2 = (double) (i + 1) / n;
      b[i] = (float) Math.min(1 - alphaBarCosine(t2) / alphaBarCosine(t1), 0.999);
    }
    return b;
  }

  private static double alphaBarCosine(double t) {
    double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
    return c * c;
  }

  /** {@code alphas_cumprod = cumprod(1 - betas)}. */
  public static float[] alphasCumprod(float[] betas) {
    float[] alphas = new float[betas.length];
    for (int i = 0; i < betas.length; i++) {
      alphas[i] = 1f - betas[i];
    }
    return Numerics.torchCumprod(alphas);
  }

  /** diffusers' {@code rescale_zero_terminal_snr} (arXiv:2305.08891, Algorithm 1), in float32. */
  public static float[] rescaleZeroTerminalSnr(float[] betas) {
    int n = betas.length;
    float[] sqrtBar = alphasCumprod(betas);
    for (int i = 0; i < n; i++) {
      sqrtBar[i] = Numerics.sqrt(sqrtBar[i]);
    }
    float first = sqrtBar[0];
    float last = sqrtBar[n - 1];
    float scale = first / (first - last);
    float[] bar = new float[n];
    for (int i = 0; i < n; i++) {
      float s = (sqrtBar[i] - last) * scale;
      bar[i] = s * s;
    }
    float[] out = new float[n];
    out[0] = 1f - bar[0];
    for (int i = 1; i < n; i++) {
      out[i] = 1f - bar[i] / bar[i - 1];
    }
    return out;
  }

  /**
   * {@code alphas_cumprod} for a scheduler built from {@code cfg}, with that scheduler's defaults for the keys
   * the config lacks: num_train_timesteps (1000), beta_start, beta_end, beta_schedule, trained_betas and
   * rescale_betas_zero_snr (false).
   */
  static float[] alphasCumprod(SchedulerConfig cfg, double defaultBetaStart, double defaultBetaEnd, ZeroSnr zeroSnr) {
    int n = cfg.integer("num_train_timesteps", 1000);
    float[] betas;
    double[] trained = cfg.reals("trained_betas").orElse(null);
    if (trained != null) {
      betas = new float[trained.length];
      for (int i = 0; i < trained.length; i++) {
        betas[i] = (float) trained[i];
      }
      if (betas.length != n) {
        throw new IllegalArgumentException("trained_betas has " + betas.length + " values but num_train_timesteps is "
            + n);
      }
    } else {
      betas = betas(cfg.string("beta_schedule", "linear"), cfg.real("beta_start", defaultBetaStart),
          cfg.real("beta_end", defaultBetaEnd), n);
    }
    boolean rescale = zeroSnr != ZeroSnr.IGNORED && cfg.bool("rescale_betas_zero_snr", false);
    if (rescale) {
      betas = rescaleZeroTerminalSnr(betas);
    }
    float[] alphasCumprod = alphasCumprod(betas);
    if (rescale && zeroSnr == ZeroSnr.RESCALE_AND_CLAMP_LAST) {
      alphasCumprod[n - 1] = 0x1p-24f;
    }
    return alphasCumprod;
  }
}
