package org.latentstudio.nodes.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.stream.ImageInputStream;
import org.latentstudio.exec.CancelledException;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.NodeException;

/**
 * Reads a picture for {@link LoadImage} within a size the rest of the graph can work with. The size comes from
 * the header first; a picture above {@link #MAX_PIXELS} is decoded with subsampling (so a 10000×10000 picture
 * never sits whole in memory) and scaled down to fit, and the result says so. Decoding reports progress and
 * stops when the run is cancelled. A header claiming more than {@link #MAX_SOURCE_PIXELS} is refused unread.
 */
final class PictureReader {
  /**
   * 1024×1024, the size SDXL works at and four times SD1.5's. Encoding grows faster than the pixel count: on
   * the bundled model's VAE a 512×512 picture takes about 1 s, 1024×1024 about 8 s, and 2048×2048 did not end
   * within two minutes (2 CPU cores); a 10000×10000 input made image-to-image hang.
   */
  static final long MAX_PIXELS = 1024L * 1024;
  /** 16384×16384: beyond any camera; decoding it would take minutes whatever the subsampling. */
  static final long MAX_SOURCE_PIXELS = 16384L * 16384;

  /** @param note what happened to the picture on the way in, or empty */
  record Picture(BufferedImage image, String note) {}

  private PictureReader() {}

  static Picture read(Path file, ExecContext ctx) throws NodeException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new NodeException("cannot read image " + file + ": it is not a PNG, JPEG, BMP or GIF picture");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        long pixels = (long) w * h;
        if (pixels > MAX_SOURCE_PIXELS) {
          throw new NodeException("image " + file + " is " + w + "×" + h + " pixels (" + megapixels(pixels)
              + "), more than Load Image reads (" + megapixels(MAX_SOURCE_PIXELS) + "); scale it down first");
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int subsampling = subsampling(w, h);
        param.setSourceSubsampling(subsampling, subsampling, 0, 0);
        reader.addIIOReadProgressListener(new Progress(reader, ctx));
        BufferedImage decoded = reader.read(0, param);
        ctx.checkCancelled();
        if (pixels <= MAX_PIXELS) {
          return new Picture(decoded, "");
        }
        double scale = Math.sqrt((double) MAX_PIXELS / pixels);
        int tw = Math.max(1, (int) (w * scale));
        int th = Math.max(1, (int) (h * scale));
        return new Picture(scale(decoded, tw, th), "scaled down from " + w + "×" + h + " to " + tw + "×" + th
            + ": Load Image keeps pictures within " + megapixels(MAX_PIXELS));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof CancelledException c) {
        throw c;
      }
      throw new NodeException("cannot read image " + file + ": the file is damaged (" + e.getMessage() + ")", e);
    }
  }

  /** The largest whole step that still leaves at least twice the final size, for a clean scale-down after. */
  static int subsampling(int w, int h) {
    long pixels = (long) w * h;
    if (pixels <= MAX_PIXELS) {
      return 1;
    }
    double shrink = Math.sqrt((double) pixels / MAX_PIXELS);
    return Math.max(1, (int) Math.floor(shrink / 2));
  }

  /** Halves with bilinear filtering until within twice the target, then one last step: no aliasing. */
  private static BufferedImage scale(BufferedImage img, int tw, int th) {
    BufferedImage current = img;
    while (current.getWidth() / 2 >= tw && current.getHeight() / 2 >= th) {
      current = draw(current, current.getWidth() / 2, current.getHeight() / 2);
    }
    return current.getWidth() == tw && current.getHeight() == th ? current : draw(current, tw, th);
  }

  private static BufferedImage draw(BufferedImage src, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, src.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB
        : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(src, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static String megapixels(long pixels) {
    return String.format(Locale.ROOT, "%.1f megapixels", pixels / 1e6);
  }

  /** Decoding progress as the node's progress; a cancelled run aborts the decoder at its next report. */
  private static final class Progress implements IIOReadProgressListener {
    private final ImageReader reader;
    private final ExecContext ctx;
    private int reported = -1;

    Progress(ImageReader reader, ExecContext ctx) {
      this.reader = reader;
      this.ctx = ctx;
    }

    @Override
    public void imageProgress(ImageReader source, float percentageDone) {
      int percent = Math.min(100, (int) percentageDone);
      if (percent == reported) {
        return; // decoders report every row
      }
      reported = percent;
      try {
        ctx.progress(percent, 100);
      } catch (CancelledException e) {
        reader.abort();
      }
    }

    @Override
    public void sequenceStarted(ImageReader source, int minIndex) {}

    @Override
    public void sequenceComplete(ImageReader source) {}

    @Override
    public void imageStarted(ImageReader source, int imageIndex) {}

    @Override
    public void imageComplete(ImageReader source) {}

    @Override
    public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {}

    @Override
    public void thumbnailProgress(ImageReader source, float percentageDone) {}

    @Override
    public void thumbnailComplete(ImageReader source) {}

    @Override
    public void readAborted(ImageReader source) {}
  }
}
