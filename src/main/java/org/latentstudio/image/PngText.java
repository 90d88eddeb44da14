package org.latentstudio.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Node;

/**
 * PNG files with text chunks: the studio embeds the workflow in every picture it saves (chunk "workflow"), so
 * dropping the picture back on the canvas restores the graph, as ComfyUI does. Writing goes through
 * {@link PngEncoder}; reading uses the JDK's PNG codec.
 */
public final class PngText {
  private static final String FORMAT = "javax_imageio_png_1.0";

  private PngText() {}

  /** Writes the picture as PNG with the given text chunks (keyword → text), in their order. */
  public static void write(RgbImage image, Map<String, String> text, OutputStream out) throws IOException {
    PngEncoder.write(image, text, out);
  }

  /** The tEXt, zTXt and iTXt chunks of a PNG file; empty for a PNG without any. */
  public static Map<String, String> read(Path file) throws IOException {
    return read(Files.readAllBytes(file));
  }

  public static Map<String, String> read(byte[] png) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (InputStream in = new ByteArrayInputStream(png); ImageInputStream iis = ImageIO.createImageInputStream(in)) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
      if (!readers.hasNext()) {
        throw new IOException("not a PNG or other readable picture");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(iis, true, false);
        IIOMetadata meta = reader.getImageMetadata(0);
        if (!reader.getFormatName().equalsIgnoreCase("png") || meta == null) {
          return out;
        }
        collect((IIOMetadataNode) meta.getAsTree(FORMAT), out);
      } finally {
        reader.dispose();
      }
    }
    return out;
  }

  private static void collect(IIOMetadataNode root, Map<String, String> out) {
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      switch (n.getNodeName()) {
        case "tEXt", "zTXt", "iTXt" -> {
          for (Node e = n.getFirstChild(); e != null; e = e.getNextSibling()) {
            IIOMetadataNode entry = (IIOMetadataNode) e;
            String key = entry.getAttribute("keyword");
            String value = entry.hasAttribute("value") ? entry.getAttribute("value") : entry.getAttribute("text");
            out.put(key, value);
          }
        }
        default -> { }
      }
    }
  }
}
