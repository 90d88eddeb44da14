package org.latentstudio.nodes.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.latentstudio.exec.Display;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeException;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.exec.Services;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.image.ImageBatch;
import org.latentstudio.image.InputPaths;
import org.latentstudio.image.RgbImage;
import org.latentstudio.nodes.Ports;
import org.latentstudio.nodes.values.Mask;
import org.latentstudio.tensor.Tensor;

/**
 * Reads a picture (PNG, JPEG, BMP, GIF). Its alpha channel becomes the MASK, transparent = 1 = the area to
 * repaint, as in ComfyUI; a picture without alpha gives an empty mask. Pictures above 1024×1024 are scaled
 * down to fit, and the node says so ({@link PictureReader}).
 */
public final class LoadImage implements NodeType {
  static final InPort<String> IMAGE = InPort.text("image", "").file("image");

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("LoadImage", "Load Image", "image", List.of(IMAGE), List.of(Ports.IMAGE, Ports.MASK));
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    String name = in.get(IMAGE);
    InputPaths inputs = ctx.service(InputPaths.class);
    Path file = inputs.resolve(name).orElseThrow(() -> new NodeException(notFound(name, inputs)));
    PictureReader.Picture picture = PictureReader.read(file, ctx);
    BufferedImage img = picture.image();
    RgbImage rgb = RgbImage.fromBufferedImage(img);
    Outputs out = Outputs.of(Ports.IMAGE, ImageBatch.fromRgb(rgb)).and(Ports.MASK, alphaMask(img));
    return picture.note().isEmpty() ? out : out.withDisplay(Display.text(picture.note()));
  }

  private static Mask alphaMask(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    float[] m = new float[w * h];
    if (img.getColorModel().hasAlpha()) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          m[y * w + x] = 1f - (img.getRGB(x, y) >>> 24) / 255f;
        }
      }
    }
    return new Mask(Tensor.of(m, 1, h, w));
  }

  @Override
  public Map<String, String> missingFiles(Map<String, Object> literals, Services services) {
    InputPaths inputs = services.require(InputPaths.class);
    String name = String.valueOf(literals.get(IMAGE.name()));
    return inputs.resolve(name).isPresent() ? Map.of() : Map.of(IMAGE.name(), notFound(name, inputs));
  }

  private static String notFound(String name, InputPaths inputs) {
    return "image file '" + name + "' does not exist (looked in " + inputs.bases() + "); choose an existing picture";
  }

  /** A picture edited on disk under the same name must load again: the key includes its size and date. */
  @Override
  public String fingerprint(Map<String, Object> literals, Services services) {
    try {
      var file = services.require(InputPaths.class).resolve(String.valueOf(literals.get("image")));
      if (file.isPresent()) {
        return Files.size(file.get()) + "@" + Files.getLastModifiedTime(file.get()).toMillis();
      }
    } catch (IOException | RuntimeException e) {
      // evaluate reports it
    }
    return "";
  }
}
