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
    String picocli = AutoComplete.bash("latentstudio", LatentStudioCommand.forDescription());
    // picocli offers nothing after --set; the workflow's own inputs are what a user types there
    String nothing = "    --set)\n      return\n      ;;";
    if (!picocli.contains(nothing)) {
      throw new IllegalStateException("picocli's completion script changed: no '--set)' case to complete inputs in");
    }
    return picocli.replace(nothing, "    --set)\n      _latentstudio_complete_set\n      return\n      ;;") + SET_INPUTS;
  }

  /**
   * Completes {@code --set NODE_ID.INPUT=} from the workflow named earlier on the line, as {@code latentstudio
   * validate WORKFLOW --inputs} lists them (the command as typed, so a launcher by path works too). Bash splits
   * words at '=', so the candidates end there, with no space after, and the value follows.
   */
  private static final String SET_INPUTS = """

      # --set NODE_ID.INPUT=: the inputs of the workflow named earlier on the line
      function _latentstudio_complete_set() {
        local word workflow=
        for word in "${COMP_WORDS[@]:2:COMP_CWORD-2}"; do
          case "$word" in *.json|*.JSON|*.png|*.PNG) workflow=${word/#\\~/$HOME}; break ;; esac
        done
        [ -f "$workflow" ] || return 0
        local IFS=$'\\n' inputs
        inputs=$("${COMP_WORDS[0]/#\\~/$HOME}" validate "$workflow" --inputs 2>/dev/null |
          sed -n 's/^\\([^ =]*\\.[^ =]*=\\).*/\\1/p')
        COMPREPLY=( $(compgen -W "$inputs" -- "${COMP_WORDS[COMP_CWORD]}") )
        type compopt &>/dev/null && compopt -o nospace
      }
      """;
}
