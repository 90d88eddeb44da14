package org.latentstudio.runtime;

/**
 * Keeps ONNX Runtime from recording usage. Version 1.29 on Linux and macOS otherwise keeps a device id and a queue
 * of usage events for Microsoft under {@code ~/.cache/Microsoft/DeveloperTools}; only its
 * {@code ORT_DISABLE_TELEMETRY} variable stops that (the Java API's {@code setTelemetry(false)} does not). The Linux
 * launchers export it, but jpackage's macOS and Windows launchers cannot set a variable, so the process sets it in
 * its own native environment before ONNX Runtime starts.
 */
public final class OrtTelemetry {
  static final String VARIABLE = "ORT_DISABLE_TELEMETRY";
  private static boolean done;

  private OrtTelemetry() {}

  /**
   * Sets the variable unless the process was started with it. Call it before anything loads ONNX Runtime, and
   * early: changing the environment is only safe while no other thread reads it. If it cannot be set, says so on
   * stderr with the way to set it by hand.
   */
  public static synchronized void turnOff() {
    if (done) {
      return;
    }
    done = true;
    if (System.getenv(VARIABLE) != null) {
      return;
    }
    String failure = NativeEnvironment.load().set(VARIABLE, "1");
    if (failure != null) {
      System.err.println("latentstudio: could not turn off ONNX Runtime's usage recording (" + failure
          + "); set the environment variable " + VARIABLE + "=1 before starting Latent Studio");
    }
  }
}
