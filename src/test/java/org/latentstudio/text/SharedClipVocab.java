package org.latentstudio.text;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real SD1.x CLIP vocabulary in the shared folder next to the repository; tests skip when it is absent. */
final class SharedClipVocab {
  private static ClipTokenizer tokenizer;

  private SharedClipVocab() {}

  static Path dir() {
    String shared = System.getProperty("latentstudio.shared", "../shared");
    Path dir = Path.of(shared, "clip-tokenizer");
    assumeTrue(Files.isRegularFile(dir.resolve("vocab.json")) && Files.isRegularFile(dir.resolve("merges.txt")),
        "skipped: the CLIP vocabulary is not at " + dir.toAbsolutePath() + " (vocab.json and merges.txt; the "
            + "surefire property latentstudio.shared names the shared folder)");
    return dir;
  }

  static synchronized ClipTokenizer tokenizer() throws TokenizerFormatException {
    if (tokenizer == null) {
      tokenizer = ClipTokenizer.load(dir());
    }
    return tokenizer;
  }
}
