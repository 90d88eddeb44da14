package org.latentstudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.testing.TestModels;

/** {@code latentstudio tokenize}: ids on one line, their count on the next; clear errors for bad folders. */
class TokenizeCommandTest {
  @TempDir
  Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return LatentStudioCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private static Path sharedVocab() {
    Path dir = Path.of(System.getProperty("latentstudio.shared", "../shared"), "clip-tokenizer");
    assumeTrue(Files.isRegularFile(dir.resolve("vocab.json")), "skipped: no CLIP vocabulary at " + dir);
    return dir;
  }

  @Test
  void printsIdsAndCount() {
    assertEquals(LatentStudioCommand.OK, run("tokenize", "--tokenizer", sharedVocab().toString(), "a photo of a cat"));
    assertEquals("49406 320 1125 539 320 2368 49407\n7\n", out.toString().replace("\r\n", "\n"));
    assertEquals("", err.toString());
  }

  @Test
  void longPromptsAreNeitherTruncatedNorChunked() {
    assertEquals(LatentStudioCommand.OK, run("tokenize", "--tokenizer", sharedVocab().toString(), "cat ".repeat(100)));
    String[] lines = out.toString().split("\n");
    assertEquals("102", lines[1].strip());
    assertTrue(lines[0].startsWith("49406 2368 2368 ") && lines[0].strip().endsWith(" 2368 49407"), lines[0]);
  }

  @Test
  void readsTheTokenizerFolderOfACheckpoint() {
    // the tiny parity model has its own small vocabulary: BOS 829, EOS 830
    assertEquals(LatentStudioCommand.OK, run("tokenize", "--checkpoint", TestModels.tinySd().toString(),
        "a red circle on a blue background"));
    assertEquals("829 320 531 530 517 320 527 526 830\n9\n", out.toString().replace("\r\n", "\n"));
  }

  @Test
  void emptyPrompt() {
    assertEquals(LatentStudioCommand.OK, run("tokenize", "--checkpoint", TestModels.tinySd().toString(), ""));
    assertEquals("829 830\n2\n", out.toString().replace("\r\n", "\n"));
  }

  @Test
  void checkpointWithoutTokenizerFolder() {
    assertEquals(LatentStudioCommand.BAD_INPUT, run("tokenize", "--checkpoint", tmp.toString(), "a cat"));
    assertEquals("error: " + tmp + " has no tokenizer/ folder; a checkpoint folder needs tokenizer/vocab.json and "
        + "tokenizer/merges.txt\n", err.toString().replace("\r\n", "\n"));
    assertEquals("", out.toString());
  }

  @Test
  void missingFolders() {
    Path nowhere = tmp.resolve("nowhere");
    assertEquals(LatentStudioCommand.BAD_INPUT, run("tokenize", "--tokenizer", nowhere.toString(), "a cat"));
    assertTrue(err.toString().startsWith("error: tokenizer folder " + nowhere + " does not exist"), err.toString());
    assertEquals(LatentStudioCommand.BAD_INPUT, run("tokenize", "--checkpoint", nowhere.toString(), "a cat"));
    assertTrue(err.toString().contains("error: checkpoint " + nowhere + " does not exist"), err.toString());
  }

  @Test
  void emptyTokenizerFolder() {
    assertEquals(LatentStudioCommand.BAD_INPUT, run("tokenize", "--tokenizer", tmp.toString(), "a cat"));
    assertTrue(err.toString().startsWith("error: vocab.json is missing in " + tmp), err.toString());
    assertTrue(!err.toString().contains("Exception"), "no stack trace");
  }

  @Test
  void needsExactlyOneSource() {
    assertEquals(LatentStudioCommand.BAD_INPUT, run("tokenize", "a cat"));
    assertTrue(err.toString().contains("--checkpoint=PATH") && err.toString().contains("--tokenizer=DIR"),
        err.toString());
  }

  /** A single-file checkpoint carries no tokenizer: its loader uses OpenAI CLIP's vocabulary, and so does this. */
  @Test
  void aSingleFileCheckpointUsesTheBundledClipVocabulary() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        TokenizeCommandTest.class.getResource("/org/latentstudio/text/clip/vocab.json") != null,
        "this build has no bundled CLIP vocabulary (../shared/clip-tokenizer was absent at build time)");
    Path file = java.nio.file.Files.writeString(tmp.resolve("model.safetensors"), "");
    assertEquals(LatentStudioCommand.OK, run("tokenize", "--checkpoint", file.toString(), "a photo of a cat"));
    assertEquals("49406 320 1125 539 320 2368 49407\n7\n", out.toString().replace("\r\n", "\n"));
  }
}
