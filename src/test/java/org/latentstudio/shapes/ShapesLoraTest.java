package org.latentstudio.shapes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.cli.Overrides;
import org.latentstudio.exec.CancellationToken;
import org.latentstudio.exec.ExecutionListener;
import org.latentstudio.exec.RunRequest;
import org.latentstudio.exec.RunResult;
import org.latentstudio.exec.RunSettings;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.image.RgbImage;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.testing.AppTest;

/**
 * The bundled LoRA (assets/models/loras/shapes-sks-outline, src/python/shapes/train_lora.py) teaches the shapes
 * pack a style word: with it, "in sks style" draws the shape hollow, as a thick outline; without it the pack
 * draws filled shapes whatever the prompt says. Measured with the pack's picture statistics (the enclosed
 * background inside the shape's blob), on 16 seeds of large circles, squares, triangles and stars (rings are
 * hollow anyway), through the shipped graphs/lora.json as a user runs it.
 */
class ShapesLoraTest extends AppTest {
  static final double HOLLOW = 0.12; // a ring measures about 0.25, a filled shape 0
  static final String[] SHAPES = {"circle", "square", "triangle", "star"};
  static final String[] COLOURS = {"red", "green", "yellow", "purple"};
  static PictureAnalyser analyser = new PictureAnalyser();

  @TempDir
  static Path out;

  static String prompt(int i) {
    return "a large " + COLOURS[i % 4] + " " + SHAPES[(i / 4) % 4] + " in the center, white background, in sks style";
  }

  static RgbImage draw(String workflow, int i, String... sets) throws Exception {
    List<String> all = new ArrayList<>(List.of("positive.text=" + prompt(i), "negative.text=",
        "sampler.seed=" + (500 + i)));
    all.addAll(List.of(sets));
    Graph g = Overrides.apply(new WorkflowCodec().read(Path.of("graphs", workflow)).graph(), app.registry(), all);
    app.executor().cache().clear();
    RunResult r = app.executor().run(new RunRequest(g, Set.of(), new RunSettings(out, 0), ""),
        ExecutionListener.NONE, new CancellationToken());
    assertTrue(r.succeeded(), r::failureMessage);
    return r.outputs().get(NodeId.of("save")).display().images().get(0);
  }

  @Test
  void theStyleWordDrawsHollowShapesWithTheLoraAndNeverWithout() throws Exception {
    int with = 0;
    int without = 0;
    List<String> scores = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      double h = analyser.hollowness(draw("lora.json", i));
      double h0 = analyser.hollowness(draw("txt2img.json", i));
      with += h >= HOLLOW ? 1 : 0;
      without += h0 >= HOLLOW ? 1 : 0;
      scores.add(String.format(Locale.ROOT, "%.2f/%.2f", h, h0));
    }
    System.out.println("shapes LoRA, 'in sks style', hollow with/without the LoRA: " + with + "/16 vs " + without
        + "/16 " + scores);
    assertTrue(with >= 13, "hollow in at least 80% of the seeds with the LoRA: " + with + " " + scores);
    assertTrue(without == 0, "and in none without it: " + without + " " + scores);
  }

  /** The LoRA was trained on ordinary captions too, so it leaves a prompt without the style word as it was. */
  @Test
  void withoutTheStyleWordTheLoraMostlyLeavesShapesFilled() throws Exception {
    int hollow = 0;
    for (int i = 0; i < 16; i++) {
      hollow += analyser.hollowness(draw("lora.json", i, "positive.text=" + prompt(i).replace(", in sks style", "")))
          >= HOLLOW ? 1 : 0;
    }
    System.out.println("shapes LoRA without the style word: hollow " + hollow + "/16");
    assertTrue(hollow <= 2, "the LoRA must not make every shape hollow: " + hollow + "/16");
  }

  @Test
  void thePeftFileIsTheSameLora() throws Exception {
    for (int i = 0; i < 3; i++) {
      RgbImage kohya = draw("lora.json", i);
      RgbImage peft = draw("lora.json", i, "lora.lora_name=shapes-sks-outline.peft.safetensors");
      assertArrayEquals(kohya.rgb(), peft.rgb(), "seed " + (500 + i));
    }
  }
}
