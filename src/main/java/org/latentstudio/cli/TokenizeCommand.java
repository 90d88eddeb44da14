package org.latentstudio.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.latentstudio.app.AppContext;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.text.ClipTokenizer;
import org.latentstudio.text.TokenizerFormatException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code latentstudio tokenize (--checkpoint PATH | --tokenizer DIR) PROMPT}: the prompt's CLIP token ids, BOS
 * and EOS included, without padding or chunking (what Hugging Face's {@code CLIPTokenizer(prompt).input_ids}
 * gives), then their count. The prompt is read as plain text: emphasis brackets are tokens like any other.
 */
@Command(name = "tokenize", description = {"Print the CLIP token ids of a prompt on one line (BOS, the prompt's "
    + "tokens, EOS; no padding), and their count on the next."})
final class TokenizeCommand implements Callable<Integer> {
  static final String TOKENIZER_FOLDER = "tokenizer";

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--checkpoint", paramLabel = "PATH", required = true,
        description = "A checkpoint file or folder, or the name of one in the models directories; a folder's "
            + "tokenizer/ is read, a single file uses the bundled CLIP vocabulary as its loader does.")
    String checkpoint;

    @Option(names = "--tokenizer", paramLabel = "DIR", required = true,
        description = "A folder with vocab.json and merges.txt.")
    Path tokenizer;
  }

  @Parameters(index = "0", paramLabel = "PROMPT", description = "The prompt; quote it.")
  String prompt;

  @Spec
  CommandSpec spec;

  private final AppContext app;

  TokenizeCommand(AppContext app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    ClipTokenizer tokenizer;
    try {
      Path dir = tokenizerDir();
      tokenizer = dir == null ? ClipTokenizer.bundled() : ClipTokenizer.load(dir);
    } catch (TokenizerFormatException e) {
      err.println("error: " + e.getMessage());
      return LatentStudioCommand.BAD_INPUT;
    }
    int[] tokens = tokenizer.encode(prompt);
    int[] ids = new int[tokens.length + 2];
    ids[0] = tokenizer.bos();
    System.arraycopy(tokens, 0, ids, 1, tokens.length);
    ids[ids.length - 1] = tokenizer.eos();
    out.println(Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
    out.println(ids.length);
    out.flush();
    return LatentStudioCommand.OK;
  }

  /** The tokenizer folder to read, or null for the bundled CLIP vocabulary (single-file checkpoints). */
  private Path tokenizerDir() throws TokenizerFormatException {
    if (source.tokenizer != null) {
      return source.tokenizer;
    }
    Path checkpoint;
    try {
      checkpoint = app.models().resolveCheckpoint(source.checkpoint);
    } catch (ModelException e) {
      throw new TokenizerFormatException(e.getMessage(), e);
    }
    if (Files.isRegularFile(checkpoint)) {
      return null;
    }
    if (!Files.isDirectory(checkpoint)) {
      throw new TokenizerFormatException("checkpoint " + checkpoint + " does not exist; check the path");
    }
    Path dir = checkpoint.resolve(TOKENIZER_FOLDER);
    if (!Files.isDirectory(dir)) {
      throw new TokenizerFormatException(checkpoint + " has no tokenizer/ folder; a checkpoint folder needs "
          + "tokenizer/vocab.json and tokenizer/merges.txt");
    }
    return dir;
  }
}
