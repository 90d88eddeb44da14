package org.latentstudio.text;

import java.util.Objects;

/** A piece of a prompt and the emphasis it carries: 1.0 is neutral, above 1 stronger, below 1 weaker. */
public record WeightedText(String text, double weight) {
  public WeightedText {
    Objects.requireNonNull(text, "text");
  }
}
