package org.latentstudio.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import org.latentstudio.image.PngText;

/**
 * The PNG text-chunk reader on arbitrary bytes: it returns the text chunks or throws {@link IOException}, never
 * anything else and never hangs. Every chunk carries a checksum, which a mutation nearly always breaks; so for
 * inputs whose first byte is odd the checksums are put right first, and the fuzzer reaches the chunk parsing
 * itself. Seeds: {@code src/test/resources/fuzz/png}. See {@link FuzzRuns}.
 */
public class PngTextFuzz {
  public static void fuzzerTestOneInput(byte[] input) {
    byte[] png = input.length > 0 && (input[0] & 1) == 1 ? withValidChecksums(input) : input;
    try {
      PngText.read(png);
    } catch (IOException e) {
      FuzzRuns.checkMessage(e.getMessage(), png);
    }
  }

  /** A copy with the signature set and every complete chunk's CRC recomputed. */
  static byte[] withValidChecksums(byte[] input) {
    byte[] b = input.clone();
    if (b.length < 8) {
      return b;
    }
    System.arraycopy(PngText.SIGNATURE, 0, b, 0, 8);
    ByteBuffer buf = ByteBuffer.wrap(b);
    long at = 8;
    while (at + 12 <= b.length) {
      long length = Integer.toUnsignedLong(buf.getInt((int) at));
      if (at + 12 + length > b.length) {
        break;
      }
      CRC32 crc = new CRC32();
      crc.update(b, (int) at + 4, 4 + (int) length);
      buf.putInt((int) (at + 8 + length), (int) crc.getValue());
      at += 12 + length;
    }
    return b;
  }

  @FuzzTest(maxDuration = "20s")
  void pngTextReader(byte[] input) {
    fuzzerTestOneInput(input);
  }
}
