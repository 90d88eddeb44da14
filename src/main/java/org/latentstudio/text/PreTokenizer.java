package org.latentstudio.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits cleaned text into the pieces BPE works on, as CLIP's pattern does with {@code regex.findall}:
 * <pre>{@code <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+}</pre>
 * compiled with IGNORECASE. The first branch that matches at a position wins; whitespace, and anything no
 * branch matches, is skipped.
 */
final class PreTokenizer {
  static final String START_OF_TEXT = "<|startoftext|>";
  static final String END_OF_TEXT = "<|endoftext|>";
  /** The literal branches, in the pattern's order. */
  private static final String[] LITERALS = {START_OF_TEXT, END_OF_TEXT, "'s", "'t", "'re", "'ve", "'m", "'ll", "'d"};
  /**
   * COMBINING GREEK YPOGEGRAMMENI: a mark whose case variant is a letter. Under IGNORECASE the regex module
   * counts it neither as a letter nor as "not a letter", so CLIP drops it.
   */
  private static final int YPOGEGRAMMENI = 0x0345;

  private PreTokenizer() {}

  static List<String> split(String text) {
    List<String> pieces = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int end = matchAt(text, i);
      if (end > i) {
        pieces.add(text.substring(i, end));
        i = end;
      } else {
        i += Character.charCount(text.codePointAt(i));
      }
    }
    return pieces;
  }

  /** The end of the match at {@code i}, or {@code i} when no branch matches there. */
  private static int matchAt(String text, int i) {
    char first = text.charAt(i);
    if (first == '<' || first == '\'') {
      for (String literal : LITERALS) {
        if (matchesIgnoringCase(text, i, literal)) {
          return i + literal.length();
        }
      }
    }
    int c = text.codePointAt(i);
    if (isLetter(c)) {
      return runEnd(text, i, Kind.LETTER);
    }
    if (isNumber(c)) {
      return i + Character.charCount(c);
    }
    return isOther(c) ? runEnd(text, i, Kind.OTHER) : i;
  }

  private enum Kind { LETTER, OTHER }

  private static int runEnd(String text, int i, Kind kind) {
    while (i < text.length()) {
      int c = text.codePointAt(i);
      if (kind == Kind.LETTER ? !isLetter(c) : !isOther(c)) {
        break;
      }
      i += Character.charCount(c);
    }
    return i;
  }

  /**
   * Case-insensitive as the regex module compares ASCII letters: besides upper case, only LATIN SMALL LETTER
   * LONG S (ſ) folds to one of the letters in these literals ("s").
   */
  private static boolean matchesIgnoringCase(String text, int i, String literal) {
    if (i + literal.length() > text.length()) {
      return false;
    }
    for (int k = 0; k < literal.length(); k++) {
      char want = literal.charAt(k);
      char c = text.charAt(i + k);
      boolean upper = want >= 'a' && want <= 'z' && c == want - 'a' + 'A';
      if (c != want && !upper && !(want == 's' && c == 'ſ')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLetter(int c) {
    return switch (Character.getType(c)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER -> true;
      default -> false;
    };
  }

  private static boolean isNumber(int c) {
    return switch (Character.getType(c)) {
      case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
      default -> false;
    };
  }

  private static boolean isOther(int c) {
    return !TextCleaner.isWhitespace(c) && !isLetter(c) && !isNumber(c) && c != YPOGEGRAMMENI;
  }
}
