package org.latentstudio.cli;

import picocli.AutoComplete;

/**
 * Prints the bash completion script for {@code latentstudio}: its commands, their options and, where an option
 * takes a file or one of a fixed set of values, those. The installer generates it once (installer/package) and the
 * .deb puts it where bash-completion finds it.
 */
public final class BashCompletion {
  private BashCompletion() {}

  public static void main(String[] args) {
    System.out.print(script());
  }

  static String script() {
    return AutoComplete.bash("latentstudio", LatentStudioCommand.forDescription());
  }
}
