package org.latentstudio.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest, so it is not written twice. */
final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Version.class.getPackage().getImplementationVersion();
    return new String[] {"Latent Studio " + (v == null ? "(development build)" : v)};
  }
}
