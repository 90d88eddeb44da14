package org.latentstudio.weights;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Seeded byte-level mutations of torch-written checkpoints: whatever the bytes, opening ends in a
 * {@link WeightFileException} or in tensors that lie inside the file, never in another exception or a hang.
 * Mutating the whole file mostly exercises the zip directory (the pickle's CRC-32 catches changes to it),
 * so the pickle is also mutated alone and zipped again with a valid CRC, to reach the pickle machine.
 */
class TorchCheckpointMutationTest {
  private static final long SEED = 0x5EED_2026L;
  private static final int CASES = 3000;
  private static final List<String> FIXTURES = List.of("tiny.ckpt", "ldm.ckpt", "protocol4.pt", "zip64.ckpt");
  private static final int[] INTERESTING_BYTES = {0x00, 0xff, 0x7f, 0x80, '(', ')', '.', 'Q', 'R', 'b', 'h', 'q',
      'u', 0x85, 0x8a, 0x93, 0x94, 0x95};
  private static final int[] INTERESTING_INTS = {0, 1, -1, 0x7fffffff, 0x80000000, 0xffff, 0x10000, 64, 4096};

  @Test
  void mutatedFilesFailOnlyWithAWeightFileException() {
    Outcomes outcomes = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      Random random = new Random(SEED);
      Outcomes o = new Outcomes();
      List<byte[]> originals = new ArrayList<>();
      for (String name : FIXTURES) {
        originals.add(Files.readAllBytes(TorchCheckpointFileTest.fixture(name)));
      }
      for (int i = 0; i < CASES; i++) {
        String name = FIXTURES.get(i % FIXTURES.size());
        check(name + " mutation " + i, mutate(originals.get(i % FIXTURES.size()), random), o);
      }
      return o;
    });
    assertTrue(outcomes.refused > CASES / 2, "most mutations break the file: " + outcomes);
    assertTrue(outcomes.opened > 0, "some mutations leave it readable (storage bytes, padding): " + outcomes);
  }

  @Test
  void mutatedPicklesFailOnlyWithAWeightFileException() {
    Outcomes outcomes = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      Random random = new Random(SEED + 1);
      Outcomes o = new Outcomes();
      List<Map<String, byte[]>> originals = new ArrayList<>();
      for (String name : FIXTURES) {
        originals.add(entries(TorchCheckpointFileTest.fixture(name)));
      }
      for (int i = 0; i < CASES; i++) {
        String name = FIXTURES.get(i % FIXTURES.size());
        Map<String, byte[]> entries = new LinkedHashMap<>(originals.get(i % FIXTURES.size()));
        String pickle = entries.keySet().stream().filter(n -> n.endsWith("/data.pkl")).findFirst().orElseThrow();
        entries.put(pickle, mutate(entries.get(pickle), random));
        check(name + " pickle mutation " + i, TorchZips.zip(entries), o);
      }
      return o;
    });
    assertTrue(outcomes.pickleDamaged > CASES / 4, "mutations reach the pickle machine: " + outcomes);
    assertTrue(outcomes.opened > 0, "some mutated pickles still give a state dict: " + outcomes);
  }

  private static final class Outcomes {
    int opened;
    int refused;
    int pickleDamaged;

    @Override
    public String toString() {
      return opened + " opened, " + refused + " refused (" + pickleDamaged + " in the pickle)";
    }
  }

  private static void check(String what, byte[] bytes, Outcomes o) throws IOException {
    try {
      TorchCheckpointFile ckpt = TorchCheckpointFile.read(Path.of(what), TorchZips.source(bytes));
      for (StoredTensor t : ckpt.tensors().byName().values()) {
        if (t.offset() < 0 || t.length() != t.elements() * t.dtype().bytes()
            || t.offset() + t.length() > bytes.length) {
          fail(what + ": tensor " + t + " at " + t.offset() + "+" + t.length() + " lies outside the file");
        }
      }
      o.opened++;
    } catch (WeightFileException e) {
      o.refused++;
      if (e.getMessage().contains("its pickle")) {
        o.pickleDamaged++;
      }
    } catch (Throwable t) {
      Path kept = Path.of("target", "mutation-failure.ckpt");
      Files.write(kept, bytes);
      throw new AssertionError(what + " (seeded; the bytes are in " + kept + "): " + t, t);
    }
  }

  /** One to four byte-level edits: bit flips, bytes and ints that matter to pickles and zips, cuts, inserts. */
  static byte[] mutate(byte[] original, Random r) {
    byte[] b = original.clone();
    int edits = 1 + r.nextInt(4);
    for (int e = 0; e < edits && b.length > 0; e++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(7)) {
        case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
        case 1 -> b[at] = (byte) r.nextInt(256);
        case 2 -> b[at] = (byte) INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)];
        case 3 -> {
          int v = INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)];
          for (int k = 0; k < 4 && at + k < b.length; k++) {
            b[at + k] = (byte) (v >>> (8 * k));
          }
        }
        case 4 -> b = splice(b, at, Math.min(b.length - at, 1 + r.nextInt(16)), new byte[0]);
        case 5 -> {
          byte[] insert = new byte[1 + r.nextInt(16)];
          r.nextBytes(insert);
          b = splice(b, at, 0, insert);
        }
        default -> {
          int from = r.nextInt(b.length);
          int len = Math.min(b.length - from, 1 + r.nextInt(32));
          byte[] copy = new byte[len];
          System.arraycopy(b, from, copy, 0, len);
          b = splice(b, at, 0, copy);
        }
      }
    }
    return b;
  }

  private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + insert.length);
    out.write(b, 0, at);
    out.writeBytes(insert);
    out.write(b, at + remove, b.length - at - remove);
    return out.toByteArray();
  }

  private static Map<String, byte[]> entries(Path zip) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (Enumeration<? extends ZipEntry> it = z.entries(); it.hasMoreElements(); ) {
        ZipEntry e = it.nextElement();
        out.put(e.getName(), z.getInputStream(e).readAllBytes());
      }
    }
    return out;
  }
}
