package org.latentstudio.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Prompt emphasis as ComfyUI parses it ({@code comfy/sd1_clip.py}: {@code token_weights},
 * {@code parse_parentheses}, {@code escape_important}): {@code (text)} multiplies the weight by 1.1,
 * {@code ((text))} by 1.21, {@code (text:1.3)} sets it to 1.3, and {@code \(} {@code \)} are literal
 * brackets. Square brackets divide by 1.1 ({@code [text]}, as in AUTOMATIC1111; ComfyUI reads them as text),
 * and {@code \[} {@code \]} are literal.
 *
 * <p>Unbalanced brackets are text, as in ComfyUI: {@code "a (b"} is one segment. A closing bracket with no
 * opening one makes the rest of its level text too, which is ComfyUI's quirk and kept for the same results.
 */
public final class PromptWeights {
  public static final double EMPHASIS = 1.1;
  /** What Python's {@code float()} accepts, short of inf, nan and digit underscores. */
  private static final Pattern NUMBER = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

  private final String text;
  /** Brackets written with a backslash: text, never emphasis. */
  private final boolean[] escaped;
  private final List<WeightedText> out = new ArrayList<>();

  private PromptWeights(String prompt) {
    StringBuilder sb = new StringBuilder(prompt.length());
    boolean[] marks = new boolean[prompt.length()];
    for (int i = 0; i < prompt.length(); i++) {
      char c = prompt.charAt(i);
      if (c == '\\' && i + 1 < prompt.length() && "()[]".indexOf(prompt.charAt(i + 1)) >= 0) {
        marks[sb.length()] = true;
        c = prompt.charAt(++i);
      }
      sb.append(c);
    }
    this.text = sb.toString();
    this.escaped = marks;
  }

  /** The prompt as segments of text with their weights, in order; empty segments are left out. */
  public static List<WeightedText> parse(String prompt) {
    PromptWeights parser = new PromptWeights(prompt);
    parser.weigh(0, parser.text.length(), 1.0);
    return List.copyOf(parser.out);
  }

  /** ComfyUI's {@code token_weights} over {@code text[from, to)}. */
  private void weigh(int from, int to, double weight) {
    for (int[] item : topLevelItems(from, to)) {
      int start = item[0];
      int end = item[1];
      char open = bracket(start, "([");
      char close = bracket(end - 1, ")]");
      if (end - start >= 2 && open != 0 && close == (open == '(' ? ')' : ']')) {
        int innerEnd = end - 1;
        double inner = open == '(' ? weight * EMPHASIS : weight / EMPHASIS;
        int colon = text.lastIndexOf(':', innerEnd - 1);
        if (open == '(' && colon > start + 1) {
          String number = text.substring(colon + 1, innerEnd).strip();
          if (NUMBER.matcher(number).matches()) {
            inner = Double.parseDouble(number);
            innerEnd = colon;
          }
        }
        weigh(start + 1, innerEnd, inner);
      } else {
        out.add(new WeightedText(text.substring(start, end), weight));
      }
    }
  }

  /**
   * ComfyUI's {@code parse_parentheses}: the ranges of the bracketed groups at nesting level 0 and of the text
   * between them.
   */
  private List<int[]> topLevelItems(int from, int to) {
    List<int[]> items = new ArrayList<>();
    int itemStart = from;
    int level = 0;
    for (int i = from; i < to; i++) {
      if (bracket(i, "([") != 0) {
        if (level == 0) {
          if (i > itemStart) {
            items.add(new int[] {itemStart, i});
          }
          itemStart = i;
        }
        level++;
      } else if (bracket(i, ")]") != 0) {
        level--;
        if (level == 0) {
          items.add(new int[] {itemStart, i + 1});
          itemStart = i + 1;
        }
      }
    }
    if (itemStart < to) {
      items.add(new int[] {itemStart, to});
    }
    return items;
  }

  /** The bracket at {@code i} if it is one of {@code kinds} and not escaped, else 0. */
  private char bracket(int i, String kinds) {
    char c = text.charAt(i);
    return !escaped[i] && kinds.indexOf(c) >= 0 ? c : 0;
  }
}
