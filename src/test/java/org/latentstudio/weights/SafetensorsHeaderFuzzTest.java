package org.latentstudio.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.latentstudio.testing.SafetensorsWriter;

/**
 * Seeded mutation fuzzing of the header parser: thousands of damaged headers must each be either refused with
 * a FormatException or accepted with every invariant the compiler relies on (ranges inside the data, in order,
 * no overlap, bytes = dtype × shape). Any other exception, or an accepted header that breaks an invariant,
 * fails the test with the input that caused it.
 */
class SafetensorsHeaderFuzzTest {
  private static final List<String> TOKENS = List.of("{", "}", "[", "]", ",", ":", "\"", "0", "-1",
      "99999999999999999999", "1e308", "\"F16\"", "\"X9\"", "\"shape\"", "\"data_offsets\"", "\"dtype\"", "null",
      "true", "\"__metadata__\"", "\\u0000", "\u00ff", "NaN", " ");

  @Test
  void damagedHeadersAreRefusedCleanlyOrAcceptedConsistently() {
    Random random = new Random(20261205);
    String[] seeds = {
        new SafetensorsWriter().f32("a", new float[4], 2, 2).f16("b.weight", new float[3], 3).meta("k", "v")
            .headerJson(),
        new SafetensorsWriter().raw("x", "U8", new long[] {0}, 0).bf16("y", new float[1], 1).headerJson(),
        "{}"};
    int accepted = 0;
    for (int i = 0; i < 8_000; i++) {
      String seed = seeds[random.nextInt(seeds.length)];
      byte[] input = mutate(seed.getBytes(StandardCharsets.UTF_8), random);
      long dataBytes = random.nextInt(5) == 0 ? random.nextInt(64) : dataSize(seed);
      try {
        SafetensorsHeader h = SafetensorsHeader.parse(input, dataBytes);
        checkInvariants(h, dataBytes);
        accepted++;
      } catch (SafetensorsHeader.FormatException expected) {
        assertTrue(!expected.getMessage().isBlank());
      } catch (RuntimeException | StackOverflowError e) {
        fail("parser escaped with " + e + " on " + new String(input, StandardCharsets.UTF_8), e);
      }
    }
    assertTrue(accepted > 0, "some mutations stay valid, so the accept path is exercised too");
  }

  private static long dataSize(String header) {
    if (header.equals("{}")) {
      return 0;
    }
    return header.contains("\"x\"") ? 2 : 22;
  }

  private static void checkInvariants(SafetensorsHeader h, long dataBytes) {
    long end = 0;
    for (SafetensorsHeader.Entry e : h.entries()) {
      assertEquals(end, e.begin(), "contiguous");
      long n = 1;
      for (long d : e.shape()) {
        n *= d;
      }
      assertEquals(n * e.dtype().bytes(), e.end() - e.begin());
      end = e.end();
    }
    assertEquals(dataBytes, end, "the tensors account for the whole data region");
  }

  private static byte[] mutate(byte[] in, Random r) {
    byte[] b = in.clone();
    int edits = 1 + r.nextInt(4);
    for (int k = 0; k < edits && b.length > 0; k++) {
      int pos = r.nextInt(b.length);
      switch (r.nextInt(4)) {
        case 0 -> b[pos] = (byte) r.nextInt(256);
        case 1 -> b = splice(b, pos, TOKENS.get(r.nextInt(TOKENS.size())).getBytes(StandardCharsets.UTF_8), 0);
        case 2 -> b = splice(b, pos, new byte[0], Math.min(b.length - pos, 1 + r.nextInt(6)));
        default -> {
          if (Character.isDigit(b[pos])) {
            b[pos] = (byte) ('0' + r.nextInt(10));
          }
        }
      }
    }
    return b;
  }

  private static byte[] splice(byte[] b, int pos, byte[] insert, int remove) {
    byte[] out = new byte[b.length - remove + insert.length];
    System.arraycopy(b, 0, out, 0, pos);
    System.arraycopy(insert, 0, out, pos, insert.length);
    System.arraycopy(b, pos + remove, out, pos + insert.length, b.length - pos - remove);
    return out;
  }
}
