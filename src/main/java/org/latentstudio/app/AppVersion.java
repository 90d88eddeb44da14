package org.latentstudio.app;

/** The version, from the jar's manifest, so it is written once (in the build). */
public final class AppVersion {
  private AppVersion() {}

  /** "0.1.0", or "(development build)" when running from classes rather than the jar. */
  public static String get() {
    String v = AppVersion.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }

  /**
   * What a bug report needs beside the version, e.g. "ONNX Runtime 1.29.0 (onnxruntime), Java 25.0.3 (Eclipse
   * Adoptium), Linux 6.1.0 amd64". ONNX Runtime's comes from its jar's manifest (the artifact tells the CPU build
   * from the GPU one), through a class that loads nothing native.
   */
  public static String environment() {
    Package ort = ai.onnxruntime.OrtException.class.getPackage();
    String ortVersion = ort.getImplementationVersion() == null ? "(version unknown)"
        : ort.getImplementationVersion();
    String ortBuild = ort.getImplementationTitle() == null ? "" : " (" + ort.getImplementationTitle() + ")";
    return "ONNX Runtime " + ortVersion + ortBuild + ", Java " + System.getProperty("java.version") + " ("
        + System.getProperty("java.vendor") + "), " + System.getProperty("os.name") + " "
        + System.getProperty("os.version") + " " + System.getProperty("os.arch");
  }
}
