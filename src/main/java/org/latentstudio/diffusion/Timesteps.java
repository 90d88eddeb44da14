package org.latentstudio.diffusion;

/**
 * The inference timesteps for a {@link TimestepSpacing}, descending, as diffusers' {@code set_timesteps}
 * computes them (numpy, float64). diffusers has three variants, one per family of schedulers; each is kept
 * once here.
 *
 * <p>{@code trailing} keeps numpy's float {@code arange} as it is: for some step counts (61, 103, 121, 122, ...
 * of 1000 training steps) it yields one timestep more than asked for, the last being -1, and diffusers runs
 * that extra step too.
 */
public final class Timesteps {
  private Timesteps() {}

  /**
   * The Euler family (Euler, Euler ancestral, Heun, LMS): float32 timesteps. {@code linspace} is not rounded,
   * so its timesteps are fractional ({@code 999, 946.4211, ...}).
   */
  public static float[] sigmaFamily(TimestepSpacing spacing, int steps, int numTrain, int stepsOffset) {
    requirePositive(steps);
    float[] t;
    switch (spacing) {
      case LINSPACE -> {
        double[] l = Numerics.linspace(0, numTrain - 1, steps);
        t = new float[steps];
        for (int i = 0; i < steps; i++) {
          t[i] = (float) l[steps - 1 - i];
        }
      }
      case LEADING -> {
        int ratio = numTrain / steps;
        t = new float[steps];
        for (int i = 0; i < steps; i++) {
          t[i] = (float) ((long) (steps - 1 - i) * ratio) + stepsOffset;
        }
      }
      case TRAILING -> {
        double[] a = Numerics.arange(numTrain, 0, -((double) numTrain / steps));
        t = new float[a.length];
        for (int i = 0; i < a.length; i++) {
          t[i] = (float) Numerics.round(a[i]) - 1f;
        }
      }
      default -> throw new AssertionError(spacing);
    }
    return t;
  }

  /**
   * DDIM and DDPM: whole timesteps. PNDM uses the same values in ascending order ({@code _timesteps}).
   * {@code linspace} rounds half to even, as numpy does.
   */
  public static int[] integer(TimestepSpacing spacing, int steps, int numTrain, int stepsOffset) {
    requirePositive(steps);
    if (steps > numTrain) {
      throw new IllegalArgumentException("steps (" + steps + ") cannot exceed num_train_timesteps (" + numTrain + ")");
    }
    int[] t;
    switch (spacing) {
      case LINSPACE -> {
        double[] l = Numerics.linspace(0, numTrain - 1, steps);
        t = new int[steps];
        for (int i = 0; i < steps; i++) {
          t[i] = (int) Numerics.round(l[steps - 1 - i]);
        }
      }
      case LEADING -> {
        int ratio = numTrain / steps;
        t = new int[steps];
        for (int i = 0; i < steps; i++) {
          t[i] = (steps - 1 - i) * ratio + stepsOffset;
        }
      }
      case TRAILING -> {
        double[] a = Numerics.arange(numTrain, 0, -((double) numTrain / steps));
        t = new int[a.length];
        for (int i = 0; i < a.length; i++) {
          t[i] = (int) Numerics.round(a[i]) - 1;
        }
      }
      default -> throw new AssertionError(spacing);
    }
    return t;
  }

  /**
   * DPM-Solver multistep: whole timesteps from {@code steps + 1} points with the last dropped ({@code linspace},
   * {@code leading}), counted from {@code lastTimestep} (the training length, less any
   * {@code lambda_min_clipped} cut).
   */
  public static int[] dpmSolver(TimestepSpacing spacing, int steps, int numTrain, int lastTimestep, int stepsOffset) {
    requirePositive(steps);
    int[] t;
    switch (spacing) {
      case LINSPACE -> {
        double[] l = Numerics.linspace(0, lastTimestep - 1, steps + 1);
        t = new int[steps];
        for (int i = 0; i < steps; i++) {
          t[i] = (int) Numerics.round(l[steps - i]);
        }
      }
      case LEADING -> {
        int ratio = lastTimestep / (steps + 1);
        t = new int[steps];
        for (int i = 0; i < steps; i++) {
          t[i] = (steps - i) * ratio + stepsOffset;
        }
      }
      case TRAILING -> {
        double[] a = Numerics.arange(lastTimestep, 0, -((double) numTrain / steps));
        t = new int[a.length];
        for (int i = 0; i < a.length; i++) {
          t[i] = (int) Numerics.round(a[i]) - 1;
        }
      }
      default -> throw new AssertionError(spacing);
    }
    return t;
  }

  private static void requirePositive(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    }
  }
}
