package org.latentstudio.app;

/** The version, from the jar's manifest, so it is written once (in the build). */
public final class AppVersion {
  private AppVersion() {}

  /** "0.1.0", or "(development build)" when running from classes rather than the jar. */
  public static String get() {
    String v = AppVersion.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }
}
