package org.latentstudio.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.latentstudio.io.IoErrors;

/**
 * Reads a tokenizer folder in the Hugging Face {@code CLIPTokenizer} layout: {@code vocab.json} (token to id)
 * and {@code merges.txt} (a {@code #version} header, then one merge a line: two tokens and a space).
 */
final class TokenizerFiles {
  static final String VOCAB = "vocab.json";
  static final String MERGES = "merges.txt";
  private static final String LAYOUT = "a tokenizer folder needs " + VOCAB + " and " + MERGES
      + " (a checkpoint has them in tokenizer/)";
  /** 49k distinct names: interning and canonicalising them costs more than it saves. */
  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
      .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
      .build();

  private TokenizerFiles() {}

  static Map<String, Integer> readVocab(Path dir) throws TokenizerFormatException {
    Path file = existing(dir, VOCAB);
    Map<String, Integer> vocab = new HashMap<>(1 << 17);
    try (JsonParser p = JSON.createParser(Files.newInputStream(file))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new TokenizerFormatException(file + " is not a vocabulary: expected a JSON object of token to id. "
            + "Replace it with the vocab.json of the checkpoint's tokenizer");
      }
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String token = p.currentName();
        if (p.nextToken() != JsonToken.VALUE_NUMBER_INT || p.getIntValue() < 0) {
          throw new TokenizerFormatException(file + ": the id of token \"" + token + "\" (line "
              + p.currentLocation().getLineNr() + ") is not a whole number >= 0. Replace the file with the "
              + "vocab.json of the checkpoint's tokenizer");
        }
        vocab.put(token, p.getIntValue());
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw new TokenizerFormatException(file + " ends too early; the file is truncated. Copy it again");
      }
    } catch (JsonParseException e) {
      throw new TokenizerFormatException(file + " is not valid JSON (line " + e.getLocation().getLineNr() + "): "
          + e.getOriginalMessage() + ". The file is corrupt; copy it again", e);
    } catch (IOException e) {
      throw new TokenizerFormatException("cannot read " + file + ": " + IoErrors.reason(e), e);
    }
    if (vocab.isEmpty()) {
      throw new TokenizerFormatException(file + " has no tokens; " + LAYOUT);
    }
    return vocab;
  }

  /** The merges in rank order, each as its two tokens. */
  static List<String[]> readMerges(Path dir) throws TokenizerFormatException {
    Path file = existing(dir, MERGES);
    List<String[]> merges = new ArrayList<>(50_000);
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNr = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNr++;
        if (line.isBlank() || (lineNr == 1 && line.startsWith("#"))) {
          continue;
        }
        String[] pair = line.split(" ");
        if (pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty()) {
          throw new TokenizerFormatException(file + " line " + lineNr + ": expected two tokens separated by one "
              + "space, found \"" + line + "\". Replace the file with the merges.txt of the checkpoint's tokenizer");
        }
        merges.add(pair);
      }
    } catch (CharacterCodingException e) {
      throw new TokenizerFormatException(file + " is not UTF-8 text; copy it again", e);
    } catch (IOException e) {
      throw new TokenizerFormatException("cannot read " + file + ": " + IoErrors.reason(e), e);
    }
    return merges;
  }

  private static Path existing(Path dir, String name) throws TokenizerFormatException {
    if (!Files.isDirectory(dir)) {
      throw new TokenizerFormatException("tokenizer folder " + dir + " does not exist; " + LAYOUT);
    }
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new TokenizerFormatException(name + " is missing in " + dir + "; " + LAYOUT);
    }
    return file;
  }
}
