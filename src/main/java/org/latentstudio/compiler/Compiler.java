package org.latentstudio.compiler;

/** Facts about the compiler itself. */
public final class Compiler {
  /** Part of every compiled graph's cache key: bump it whenever a builder changes what it writes. */
  public static final String VERSION = "1";

  private Compiler() {}
}
