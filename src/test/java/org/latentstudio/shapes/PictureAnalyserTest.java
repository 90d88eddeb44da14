package org.latentstudio.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.latentstudio.image.RgbImage;
import org.junit.jupiter.api.Test;

/** The semantic tests' measuring tool, checked on clean ground-truth pictures. */
class PictureAnalyserTest {
  static List<Scene> allScenes() {
    List<Scene> scenes = new ArrayList<>();
    String[] colours = {"red", "green", "yellow", "purple", "orange", "black"};
    int k = 0;
    for (String shape : Scene.SHAPES) {
      for (String position : Scene.POSITIONS) {
        for (String size : List.of("small", "large")) {
          String colour = colours[k++ % colours.length];
          String bg = colour.equals("black") ? "white" : k % 3 == 0 ? "gray" : "white";
          scenes.add(new Scene(colour, shape, position, size, bg));
        }
      }
    }
    return scenes;
  }

  @Test
  void readsEveryAttributeOfCleanPictures() {
    List<Scene> scenes = allScenes();
    List<RgbImage> pictures = scenes.stream().map(Scene::render).toList();
    PictureAnalyser analyser = new PictureAnalyser();
    analyser.calibrate(pictures, scenes);
    int shapesRight = 0;
    for (int i = 0; i < scenes.size(); i++) {
      Scene s = scenes.get(i);
      PictureAnalyser.Measure m = analyser.measure(pictures.get(i));
      assertEquals(s.colour(), m.colour(), s::caption);
      assertEquals(s.position(), m.position(), s::caption);
      assertEquals(s.size(), m.size(), s::caption);
      assertEquals(s.background(), m.background(), s::caption);
      shapesRight += s.shape().equals(m.shape()) ? 1 : 0;
    }
    assertTrue(shapesRight >= scenes.size() * 0.95, "shapes right: " + shapesRight + "/" + scenes.size());
  }

  @Test
  void anEmptyPictureHasNoShape() {
    RgbImage blank = new Scene("red", "circle", "center", "small", "white").render();
    java.util.Arrays.fill(blank.rgb(), (byte) 255);
    assertEquals(null, new PictureAnalyser().measure(blank).colour());
  }
}
