package org.latentstudio.ui;

import java.nio.ByteBuffer;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import org.latentstudio.image.RgbImage;

/** Conversion of the studio's pictures to JavaFX images. */
public final class FxImages {
  private FxImages() {}

  public static Image toFx(RgbImage img) {
    WritableImage out = new WritableImage(img.width(), img.height());
    out.getPixelWriter().setPixels(0, 0, img.width(), img.height(), PixelFormat.getByteRgbInstance(),
        ByteBuffer.wrap(img.rgb()), img.width() * 3);
    return out;
  }
}
