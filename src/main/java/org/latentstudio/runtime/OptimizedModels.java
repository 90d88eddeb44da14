package org.latentstudio.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Large compiled models as ONNX Runtime optimised them, kept on disk so that the next session of the same model
 * opens in a fraction of a second. Building an fp16 checkpoint's SD1.5 UNet session is mostly ONNX Runtime folding
 * the casts that widen its weights to fp32 (15 s here); the saved model holds the folded fp32 weights, which the
 * next session maps instead of computing (0.2 s; the first step pages them in). Saving costs the first build the
 * writing (27 s instead of 15 s here) and about 4 GB of disk per checkpoint, so entries beyond the budget go,
 * least recently used first.
 *
 * <p>An entry is a folder named by the digest of its key (the compiled model's key, which holds the compiler's
 * digest and the weight files' sizes and dates, and ONNX Runtime's version), holding {@code model.onnx} and its
 * {@code weights.bin}. It is written into a hidden folder and moved into place whole, so a crash leaves no half
 * entry under a real name; a folder's date is when it was last used.
 */
public final class OptimizedModels {
  static final String MODEL = "model.onnx";
  static final String WEIGHTS = "weights.bin";

  private final Path dir;
  private final long budgetBytes;
  private final long minModelBytes;
  private final AtomicInteger opened = new AtomicInteger();
  private static final AtomicLong STAGING = new AtomicLong();

  /**
   * @param dir           where entries live
   * @param budgetBytes   the most all entries may take; 0 keeps none
   * @param minModelBytes the smallest model worth an entry (small models build in well under a second)
   */
  public OptimizedModels(Path dir, long budgetBytes, long minModelBytes) {
    this.dir = dir;
    this.budgetBytes = budgetBytes;
    this.minModelBytes = minModelBytes;
  }

  /** Entries for the parts of full-size checkpoints ({@link OrtRuntime#LARGE_MODEL_BYTES} and up). */
  public static OptimizedModels ofLargeModels(Path dir, long budgetBytes) {
    return new OptimizedModels(dir, budgetBytes, OrtRuntime.LARGE_MODEL_BYTES);
  }

  /** Whether a model whose weights take {@code bytes} gets an entry. */
  boolean keeps(long bytes) {
    return budgetBytes > 0 && bytes >= minModelBytes;
  }

  /** The saved model for {@code key}, marked as used now; null if there is none. */
  Path find(String key) {
    Path entry = entry(key);
    Path model = entry.resolve(MODEL);
    if (!Files.isRegularFile(model) || !Files.isRegularFile(entry.resolve(WEIGHTS))) {
      return null;
    }
    try {
      Files.setLastModifiedTime(entry, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException e) {
      // a read-only cache still serves
    }
    return model;
  }

  /** Counts a session made from a saved model. */
  void countOpened() {
    opened.incrementAndGet();
  }

  /** How many sessions were made from saved models, for tests and benchmarks. */
  public int opened() {
    return opened.get();
  }

  /** A hidden folder to save {@code key}'s model into, then {@link #commit} or {@link #discard}. */
  Staged stage(String key) throws IOException {
    Files.createDirectories(dir);
    Path entry = entry(key);
    Path staging = dir.resolve("." + entry.getFileName() + "." + ProcessHandle.current().pid() + "-"
        + STAGING.incrementAndGet());
    Files.createDirectory(staging);
    return new Staged(entry, staging);
  }

  /** A model being saved: ONNX Runtime writes {@link #model()} and the weights beside it. */
  record Staged(Path entry, Path folder) {
    Path model() {
      return folder.resolve(MODEL);
    }
  }

  /** Moves a saved model into place (another process's entry of the same key wins), then keeps to the budget. */
  void commit(Staged staged) throws IOException {
    Path entry = staged.entry();
    if (!Files.isRegularFile(staged.model()) || !Files.isRegularFile(staged.folder().resolve(WEIGHTS))) {
      discard(staged); // ONNX Runtime wrote no weights file: nothing worth keeping
      return;
    }
    try {
      Files.move(staged.folder(), entry, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      discard(staged);
      if (Files.isDirectory(entry)) {
        return; // another process saved the same model meanwhile: its entry serves
      }
      throw e;
    }
    evict(entry);
  }

  /** Deletes the least recently used entries until all fit the budget (every entry for a budget of 0). */
  public void trim() {
    evict(null);
  }

  /** Removes a staging folder and what was written into it. */
  void discard(Staged staged) {
    deleteTree(staged.folder());
  }

  /** Drops an entry that ONNX Runtime could not open (a damaged or truncated file). */
  void forget(String key) {
    deleteTree(entry(key));
  }

  /** Deletes the least recently used entries until all fit the budget; {@code keep} stays. */
  private void evict(Path keep) {
    record Entry(Path folder, long bytes, long used) {}
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
      for (Path folder : all) {
        if (!folder.getFileName().toString().startsWith(".") && Files.isDirectory(folder)) {
          entries.add(new Entry(folder, size(folder), Files.getLastModifiedTime(folder).toMillis()));
        }
      }
    } catch (IOException e) {
      return; // an unreadable cache is left as it is
    }
    long total = entries.stream().mapToLong(Entry::bytes).sum();
    entries.sort(Comparator.comparingLong(Entry::used));
    for (Entry e : entries) {
      if (total <= budgetBytes) {
        break;
      }
      if (!e.folder().equals(keep)) {
        deleteTree(e.folder());
        total -= e.bytes();
      }
    }
  }

  private static long size(Path folder) throws IOException {
    long bytes = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
      for (Path f : files) {
        bytes += Files.size(f);
      }
    }
    return bytes;
  }

  private static void deleteTree(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // left for the next eviction
    }
  }

  /** The folder of {@code key}'s entry, named by the key's digest as the graph cache names its files. */
  private Path entry(String key) {
    return dir.resolve(GraphCache.sha256(key));
  }
}
