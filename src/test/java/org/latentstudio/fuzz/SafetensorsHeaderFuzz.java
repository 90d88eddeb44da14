package org.latentstudio.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.latentstudio.weights.SafetensorsHeader;

/**
 * The safetensors header reader on arbitrary header bytes and data sizes: it returns a header or throws its
 * {@link SafetensorsHeader.FormatException}, and what it returns lies inside the data. Seeds:
 * {@code src/test/resources/fuzz/safetensors}. See {@link FuzzRuns}.
 */
public class SafetensorsHeaderFuzz {
  public static void fuzzerTestOneInput(FuzzedDataProvider data) {
    long dataBytes = data.consumeLong(0, 1L << 40);
    byte[] json = data.consumeRemainingAsBytes();
    SafetensorsHeader header;
    try {
      header = SafetensorsHeader.parse(json, dataBytes);
    } catch (SafetensorsHeader.FormatException e) {
      FuzzRuns.checkMessage(e.getMessage(), json);
      return;
    }
    for (SafetensorsHeader.Entry e : header.entries()) {
      if (e.begin() < 0 || e.begin() > e.end() || e.end() > dataBytes) {
        throw new AssertionError("tensor " + e.name() + " at [" + e.begin() + ", " + e.end() + ") outside the "
            + dataBytes + " data bytes");
      }
    }
  }

  @FuzzTest(maxDuration = "20s")
  void safetensorsHeader(FuzzedDataProvider data) {
    fuzzerTestOneInput(data);
  }
}
