package org.latentstudio.exec;

import java.nio.file.Path;
import java.util.List;
import org.latentstudio.image.RgbImage;

/** What an output node shows the user: lines of text, files it wrote, pictures. */
public record Display(List<String> text, List<Path> files, List<RgbImage> images) {
  public static final Display NONE = new Display(List.of(), List.of(), List.of());

  public Display {
    text = List.copyOf(text);
    files = List.copyOf(files);
    images = List.copyOf(images);
  }

  public static Display text(String line) {
    return new Display(List.of(line), List.of(), List.of());
  }

  public static Display images(List<RgbImage> images, List<Path> files) {
    return new Display(List.of(), files, images);
  }

  public boolean isEmpty() {
    return text.isEmpty() && files.isEmpty() && images.isEmpty();
  }
}
