package org.latentstudio.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.latentstudio.app.AppContext;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.testing.GraphBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A huge input picture is scaled down to a size the graph can work with, the node says so, and its decoding
 * shows progress and stops on cancel (issue 14: a 10000×10000 picture hung image-to-image for over 80 s, 21 s of
 * it in Load Image, without a word).
 */
class LargePictureTest {
  static AppContext app;

  @TempDir
  static Path tmp;

  static Path huge;

  @BeforeAll
  static void start() throws IOException {
    app = new AppContext();
    huge = tmp.resolve("huge.png");
    writeRedPng(huge, 10_000, 10_000);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** A plain red PNG of any size, written row by row so the test never holds it whole. */
  static void writeRedPng(Path file, int w, int h) throws IOException {
    try (OutputStream os = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(os)) {
      out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
      java.io.ByteArrayOutputStream ihdr = new java.io.ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(ihdr);
      d.writeInt(w);
      d.writeInt(h);
      d.write(new byte[] {8, 2, 0, 0, 0});
      chunk(out, "IHDR", ihdr.toByteArray());
      java.io.ByteArrayOutputStream idat = new java.io.ByteArrayOutputStream();
      Deflater deflater = new Deflater(1);
      try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
        byte[] row = new byte[1 + 3 * w];
        for (int x = 0; x < w; x++) {
          row[1 + 3 * x] = (byte) 220;
        }
        for (int y = 0; y < h; y++) {
          z.write(row);
        }
      } finally {
        deflater.end();
      }
      chunk(out, "IDAT", idat.toByteArray());
      chunk(out, "IEND", new byte[0]);
    }
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
    out.writeInt(data.length);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }

  static Graph loadAndPreview(Path picture) {
    return new GraphBuilder().node("image", "LoadImage", "image", picture.toString())
        .node("preview", "PreviewImage").link("image.IMAGE", "preview.images").build();
  }

  @Test
  void aHugePictureIsScaledDownWithANoteAndProgress() {
    AtomicInteger progress = new AtomicInteger();
    ExecutionListener listener = new ExecutionListener() {
      @Override
      public void progress(NodeId id, int step, int total) {
        progress.incrementAndGet();
      }
    };
    long t0 = System.nanoTime();
    RunResult r = app.executor().run(new RunRequest(loadAndPreview(huge), Set.of(), new RunSettings(tmp, 0), ""),
        listener, new CancellationToken());
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(r.succeeded(), r::failureMessage);
    var shown = r.outputs().get(NodeId.of("preview")).display().images().get(0);
    assertEquals(1024, shown.width());
    assertEquals(1024, shown.height());
    assertEquals(220, shown.red(512, 512), "scaling keeps the colour");
    assertEquals("scaled down from 10000×10000 to 1024×1024: Load Image keeps pictures within 1.0 megapixels",
        String.join("", r.outputs().get(NodeId.of("image")).display().text()));
    assertTrue(progress.get() >= 10 && progress.get() <= 202, "progress while decoding: " + progress.get());
    System.out.printf("10000x10000 picture loaded and scaled in %.1f s%n", seconds);
  }

  @Test
  void decodingStopsWhenTheRunIsCancelled() throws Exception {
    CancellationToken token = new CancellationToken();
    long[] cancelledAt = {0};
    ExecutionListener cancelOnFirstProgress = new ExecutionListener() {
      @Override
      public void progress(NodeId id, int step, int total) {
        if (step >= 5 && cancelledAt[0] == 0) {
          cancelledAt[0] = System.nanoTime();
          token.cancel();
        }
      }
    };
    app.executor().cache().clear();
    RunResult r = app.executor().run(new RunRequest(loadAndPreview(huge), Set.of(), new RunSettings(tmp, 0), ""),
        cancelOnFirstProgress, token);
    assertEquals(RunResult.Status.CANCELLED, r.status(), r::failureMessage);
    double after = (System.nanoTime() - cancelledAt[0]) / 1e9;
    assertTrue(after < 2, "stopped " + after + " s after the cancel");
  }

  @Test
  void aHeaderBeyondAnyCameraIsRefusedUnread() throws Exception {
    Path bomb = tmp.resolve("bomb.png");
    writeRedPng(bomb, 40_000, 8);
    byte[] b = Files.readAllBytes(bomb);
    // claim 40000×40000 in the header: the data would not fill it, and nothing should try
    java.nio.ByteBuffer.wrap(b).putInt(20, 40_000);
    CRC32 crc = new CRC32();
    crc.update(b, 12, 17);
    java.nio.ByteBuffer.wrap(b).putInt(29, (int) crc.getValue());
    Files.write(bomb, b);
    long t0 = System.nanoTime();
    RunResult r = app.executor().run(new RunRequest(loadAndPreview(bomb), Set.of(), new RunSettings(tmp, 0), ""),
        ExecutionListener.NONE, new CancellationToken());
    assertEquals(RunResult.Status.FAILED, r.status());
    assertTrue(r.failureMessage().contains("is 40000×40000 pixels (1600.0 megapixels), more than Load Image reads"),
        r.failureMessage());
    assertTrue((System.nanoTime() - t0) / 1e9 < 2, "refused at once");
  }
}
