package org.latentstudio.exec;

import java.nio.file.Path;
import java.util.List;
import org.latentstudio.image.RgbImage;

/**
 * What a node shows the user: lines of text, files it wrote, pictures (which also go to the gallery), and a
 * thumbnail shown on the node only (a ControlNet's control image).
 *
 * @param thumbnail a picture for the node itself, or null
 */
public record Display(List<String> text, List<Path> files, List<RgbImage> images, RgbImage thumbnail) {
  public static final Display NONE = new Display(List.of(), List.of(), List.of());

  public Display {
    text = List.copyOf(text);
    files = List.copyOf(files);
    images = List.copyOf(images);
  }

  public Display(List<String> text, List<Path> files, List<RgbImage> images) {
    this(text, files, images, null);
  }

  /** A picture on the node, with a caption. */
  public static Display thumbnail(RgbImage image, String caption) {
    return new Display(List.of(caption), List.of(), List.of(), image);
  }

  public static Display text(String line) {
    return new Display(List.of(line), List.of(), List.of());
  }

  public static Display images(List<RgbImage> images, List<Path> files) {
    return new Display(List.of(), files, images);
  }

  public boolean isEmpty() {
    return text.isEmpty() && files.isEmpty() && images.isEmpty() && thumbnail == null;
  }
}
