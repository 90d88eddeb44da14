package org.latentstudio.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small vocabulary in the CLIP layout, written for a test: the byte symbols, the same with {@code </w>}, the
 * given merges, then the two special tokens. Without merges every byte of a word is one token.
 */
final class TinyVocab {
  private TinyVocab() {}

  static Map<String, Integer> vocab(List<String> merges) {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    List<String> bytes = byteSymbolsInClipOrder();
    bytes.forEach(s -> vocab.put(s, vocab.size()));
    bytes.forEach(s -> vocab.put(s + "</w>", vocab.size()));
    for (String merge : merges) {
      vocab.putIfAbsent(merge.replace(" ", ""), vocab.size());
    }
    vocab.put("<|startoftext|>", vocab.size());
    vocab.put("<|endoftext|>", vocab.size());
    return vocab;
  }

  /** The id of printable ASCII character {@code c} as a symbol in the middle of a word. */
  static int id(char c) {
    return c - '!';
  }

  /** The id of printable ASCII character {@code c} at the end of a word. */
  static int endId(char c) {
    return 256 + id(c);
  }

  /** CLIP's order ({@code bytes_to_unicode}): the printable Latin-1 bytes, then the others. */
  private static List<String> byteSymbolsInClipOrder() {
    List<String> printable = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (int b = 0; b < 256; b++) {
      String symbol = ByteSymbols.of(b);
      (symbol.charAt(0) == b ? printable : others).add(symbol);
    }
    printable.addAll(others);
    return printable;
  }

  static Path write(Path dir, List<String> merges) throws IOException {
    return write(dir, vocab(merges), merges);
  }

  static Path write(Path dir, Map<String, Integer> vocab, List<String> merges) throws IOException {
    Files.createDirectories(dir);
    new ObjectMapper().writeValue(dir.resolve("vocab.json").toFile(), vocab);
    Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n" + String.join("\n", merges) + "\n",
        StandardCharsets.UTF_8);
    return dir;
  }
}
