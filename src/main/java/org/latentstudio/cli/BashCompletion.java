package org.latentstudio.cli;

import java.util.List;
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
    // picocli offers nothing after --set (or bench's --vary), nor after its '=' (a word of its own in bash); the
    // workflow's own inputs and their values are what a user types there
    String cases = "  case ${prev_word} in\n";
    if (!picocli.contains(cases)) {
      throw new IllegalStateException("picocli's completion script changed: no 'case ${prev_word}' to hook into");
    }
    String script = picocli.replace(cases, "  _latentstudio_complete_set_value && return\n" + cases);
    for (String option : List.of("--set", "--vary")) {
      String nothing = "    " + option + ")\n      return\n      ;;";
      if (!script.contains(nothing)) {
        throw new IllegalStateException("picocli's completion script changed: no '" + option + ")' case to "
            + "complete inputs in");
      }
      script = script.replace(nothing, "    " + option + ")\n      _latentstudio_complete_set\n      return\n      ;;");
    }
    return script + SET_INPUTS;
  }

  /**
   * Completes {@code --set NODE_ID.INPUT=} from the workflow named earlier on the line, as {@code latentstudio
   * validate WORKFLOW --inputs} lists them, and the value after the '=' where it comes from a list ({@code
   * --choices}), with the command as typed, so a launcher by path works too. Bash splits words at '=', so the
   * input's candidates end there, with no space after.
   */
  private static final String SET_INPUTS = """

      # the workflow named on the line being completed (its first .json or .png that is not an option's value or
      # a --set value), if it exists
      function _latentstudio_workflow() {
        local i word
        for (( i = 2; i < COMP_CWORD; i++ )); do
          case "${COMP_WORDS[i-1]}" in =|--set|--vary|-o|--output) continue ;; esac
          word=$(_latentstudio_unquote "${COMP_WORDS[i]}")
          case "$word" in
            *.json|*.JSON|*.png|*.PNG) [ -f "$word" ] && echo "$word"; return ;;
          esac
        done
      }

      # the word as the command will get it: quotes and backslashes taken away, a leading ~/ made the home folder;
      # nothing is expanded or run
      function _latentstudio_unquote() {
        local in=$1 out= quote= c i
        [[ $in == '~/'* ]] && { out=$HOME; in=${in:1}; }
        for (( i = 0; i < ${#in}; i++ )); do
          c=${in:i:1}
          if [ "$quote" = "'" ]; then
            if [ "$c" = "'" ]; then quote=; else out+=$c; fi
          elif [ "$c" = '\\' ]; then
            i=$((i + 1)); c=${in:i:1}
            if [ "$quote" = '"' ] && [[ $c != [\\"\\\\\\$\\`] ]]; then out+='\\'; fi
            out+=$c
          elif [ "$c" = '"' ]; then
            if [ "$quote" = '"' ]; then quote=; else quote='"'; fi
          elif [ "$c" = "'" ] && [ -z "$quote" ]; then
            quote="'"
          else
            out+=$c
          fi
        done
        printf '%s\\n' "$out"
      }

      # --set NODE_ID.INPUT=: the inputs of that workflow
      function _latentstudio_complete_set() {
        local workflow IFS=$'\\n' inputs
        workflow=$(_latentstudio_workflow)
        [ -n "$workflow" ] || return 0
        inputs=$("$(_latentstudio_unquote "${COMP_WORDS[0]}")" validate "$workflow" --inputs 2>/dev/null |
          sed -n 's/^\\([^ =]*\\.[^ =]*=\\).*/\\1/p')
        COMPREPLY=( $(compgen -W "$inputs" -- "${COMP_WORDS[COMP_CWORD]}") )
        type compopt &>/dev/null && compopt -o nospace
      }

      # --set NODE_ID.INPUT=VALUE: the values it takes where they come from a list; fails elsewhere
      function _latentstudio_complete_set_value() {
        (( COMP_CWORD >= 4 )) && [ "${COMP_WORDS[COMP_CWORD-1]}" = "=" ] || return 1
        case "${COMP_WORDS[COMP_CWORD-3]}" in --set|--vary) ;; *) return 1 ;; esac
        local workflow IFS=$'\\n' values
        workflow=$(_latentstudio_workflow)
        [ -n "$workflow" ] || return 0
        values=$("$(_latentstudio_unquote "${COMP_WORDS[0]}")" validate "$workflow" \\
          --choices "${COMP_WORDS[COMP_CWORD-2]}" 2>/dev/null)
        COMPREPLY=( $(compgen -W "$values" -- "${COMP_WORDS[COMP_CWORD]}") )
        return 0
      }
      """;
}
