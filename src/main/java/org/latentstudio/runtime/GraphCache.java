package org.latentstudio.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.latentstudio.compiler.CompiledGraph;

/**
 * Compiled graphs on disk, so opening the same checkpoint again skips the build. A graph holds no weights
 * (kilobytes to a few megabytes), so the cache stays small. Entries are keyed by everything that decides the
 * graph: the weights file's fingerprint (path, size, modification time), the component and its build options,
 * and the compiler's version. Writes are atomic; an unreadable or damaged entry is rebuilt.
 */
public final class GraphCache {
  /** Builds a graph on a miss. */
  @FunctionalInterface
  public interface Builder {
    CompiledGraph build() throws ModelException;
  }

  private static final int SUM_BYTES = 4;

  private final Path dir;
  private int builds;
  private int hits;

  public GraphCache(Path dir) {
    this.dir = dir;
  }

  /**
   * The graph for {@code identity} (any text that changes whenever the graph would): from disk, or built and
   * stored.
   */
  public CompiledGraph get(String identity, Path weightsFolder, String role, Builder builder) throws ModelException {
    Path file = dir.resolve(sha256(identity) + ".graph");
    if (Files.isRegularFile(file)) {
      try {
        byte[] graph = intact(Files.readAllBytes(file));
        if (graph != null) {
          synchronized (this) {
            hits++;
          }
          return new CompiledGraph(role, graph, weightsFolder);
        }
      } catch (IOException e) {
        // unreadable: build it again below
      }
    }
    CompiledGraph graph = builder.build();
    synchronized (this) {
      builds++;
    }
    store(file, graph.onnx());
    return graph;
  }

  /**
   * An entry is the graph followed by its CRC32C (4 bytes, big-endian), so a damaged entry is rebuilt rather than
   * handed to ONNX Runtime. Checking the sum instead of parsing the graph, as this cache did before, took a cold
   * start's check of a checkpoint's four graphs from tens of milliseconds to well under one.
   *
   * @return the graph, or null when the entry is damaged
   */
  private static byte[] intact(byte[] entry) {
    if (entry.length < SUM_BYTES) {
      return null;
    }
    int length = entry.length - SUM_BYTES;
    return sum(entry, length) == ByteBuffer.wrap(entry, length, SUM_BYTES).getInt()
        ? Arrays.copyOf(entry, length) : null;
  }

  private static int sum(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }

  public synchronized int builds() {
    return builds;
  }

  public synchronized int hits() {
    return hits;
  }

  /** A cache that cannot be written is no reason to fail the run: the graph was built and is used. */
  private void store(Path file, byte[] bytes) {
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "graph", ".tmp");
      try {
        byte[] entry = Arrays.copyOf(bytes, bytes.length + SUM_BYTES);
        ByteBuffer.wrap(entry, bytes.length, SUM_BYTES).putInt(sum(bytes, bytes.length));
        Files.write(tmp, entry);
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      // read-only cache folder: build each time
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
