package org.latentstudio.cli;

import org.latentstudio.app.AppVersion;
import picocli.CommandLine;

/** {@code --version}: the version in the jar's manifest, then ONNX Runtime's, Java's and the system's. */
final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"Latent Studio " + AppVersion.get(), AppVersion.environment()};
  }
}
