package org.latentstudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.latentstudio.image.PngText;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line on the tiny model, as a user types it, including every kind of bad input. */
class PipelineCliTest {
  @TempDir
  Path dir;

  static CliTest.Result cli(String... args) {
    return CliTest.cli(args);
  }

  static void assertClean(CliTest.Result r) {
    assertFalse(r.all().contains("\tat "), () -> "stack trace:\n" + r.all());
    assertFalse(r.all().contains("Exception"), () -> "exception name:\n" + r.all());
  }

  @Test
  void theIssuesCommandMakesANumberedPngWithTheWorkflowInside() throws Exception {
    Path out = dir.resolve("out");
    String[] args = {"run", "graphs/txt2img.json", "--set", "checkpoint.path=" + TestModels.tinySd(),
        "--set", "positive.text=a cat", "--set", "negative.text=", "--set", "sampler.seed=42",
        "--output", out.toString()};
    CliTest.Result first = cli(args);
    assertEquals(0, first.exit(), first::all);
    assertTrue(first.err().contains("20/20"), "a progress bar per step: " + first.err());
    Path png = out.resolve("txt2img_00001.png");
    assertTrue(first.out().contains("saved " + png), first.out());
    Map<String, String> text = PngText.read(png);
    String embedded = text.get("latentstudio");
    assertTrue(text.get("workflow").contains("\"last_node_id\""), "and ComfyUI's workflow chunk");
    assertTrue(text.get("prompt").contains("\"class_type\" : \"KSampler\"") || text.get("prompt").contains(
        "\"class_type\":\"KSampler\""), "and ComfyUI's prompt chunk: " + text.get("prompt"));
    var graph = new WorkflowCodec().parse(embedded, "embedded").graph();
    assertEquals("a cat", graph.require(org.latentstudio.graph.NodeId.of("positive")).widgets().get("text"),
        "the embedded workflow carries the --set values");

    CliTest.Result second = cli(args);
    assertEquals(0, second.exit(), second::all);
    assertTrue(Files.exists(out.resolve("txt2img_00002.png")), "a second run never overwrites the first");
  }

  @Test
  void tokenizeShowsIdsAndCount() {
    CliTest.Result r = cli("tokenize", "--checkpoint", TestModels.tinySd().toString(), "a red circle");
    assertEquals(0, r.exit(), r::all);
    assertEquals("829 320 531 530 830", r.out().lines().findFirst().orElse(""));
    assertEquals("5", r.out().lines().skip(1).findFirst().orElse(""));
  }

  /** run says which execution provider ONNX Runtime uses; run --quiet prints only the result. */
  @Test
  void quietPrintsOnlyTheResult() {
    Path out = dir.resolve("quiet");
    String[] run = {"run", "graphs/txt2img.json", "--set", "checkpoint.path=" + TestModels.tinySd(), "--set",
        "sampler.steps=2", "-o", out.toString()};
    CliTest.Result loud = cli(run);
    assertEquals(0, loud.exit(), loud::all);
    assertTrue(loud.err().contains("ONNX Runtime: "), loud.err());
    String[] quietRun = java.util.Arrays.copyOf(run, run.length + 1);
    quietRun[run.length] = "--quiet";
    CliTest.Result quiet = cli(quietRun);
    assertEquals(0, quiet.exit(), quiet::all);
    assertEquals("", quiet.err(), "nothing but the result");
    assertTrue(quiet.out().startsWith("saved "), quiet.out());
  }

  @Test
  void sizesThatAreNotMultiplesOf8AreRefusedBeforeRunning() {
    CliTest.Result r = cli("run", "graphs/txt2img.json", "--set", "checkpoint.path=" + TestModels.tinySd(),
        "--set", "latent.width=100");
    assertEquals(2, r.exit(), r::all);
    assertTrue(r.err().contains("node 'latent' (EmptyLatentImage), input 'width': value 100 is not a multiple of 8"),
        r.err());
    assertTrue(r.err().contains("use 96 or 104"), r.err());
    assertClean(r);
  }

  @Test
  void stepsBelowOneAndUnknownSamplersNameTheNode() {
    CliTest.Result steps = cli("run", "graphs/txt2img.json", "--set", "sampler.steps=0");
    assertEquals(2, steps.exit());
    assertTrue(steps.err().contains("node 'sampler' (KSampler), input 'steps': value 0 is below the minimum 1"),
        steps.err());
    CliTest.Result sampler = cli("run", "graphs/txt2img.json", "--set", "sampler.sampler_name=dpm_fast");
    assertEquals(2, sampler.exit());
    assertTrue(sampler.err().contains("input 'sampler_name': value 'dpm_fast' is not one of euler"), sampler.err());
    CliTest.Result schedule = cli("run", "graphs/txt2img.json", "--set", "checkpoint.path=" + TestModels.tinySd(),
        "--set", "sampler.sampler_name=ddim", "--set", "sampler.scheduler=karras");
    assertEquals(1, schedule.exit());
    assertTrue(schedule.err().contains("node 'sampler' (KSampler) failed: sampler 'ddim' has no sigma schedule"),
        schedule.err());
    assertClean(steps);
    assertClean(sampler);
    assertClean(schedule);
  }

  @Test
  void aMissingModelFileIsNamedWithTheLayout() throws Exception {
    Path model = TestModels.copyOf(TestModels.tinySd(), dir);
    Files.delete(model.resolve("vae_decoder/model.onnx"));
    CliTest.Result r = cli("run", "graphs/txt2img.json", "--set", "checkpoint.path=" + model);
    assertEquals(1, r.exit(), r::all);
    assertTrue(r.err().contains("node 'checkpoint' (CheckpointLoader) failed: checkpoint " + model
        + " is missing vae_decoder/model.onnx"), r.err());
    assertTrue(r.err().contains("tokenizer/vocab.json"), "shows the expected layout: " + r.err());
    assertClean(r);

    CliTest.Result unknown = cli("run", "graphs/txt2img.json", "--set", "checkpoint.path=no-such-model");
    assertEquals(1, unknown.exit());
    assertTrue(unknown.err().contains("no checkpoint 'no-such-model' in the models directories"), unknown.err());
  }

  @Test
  void aModelWhoseInputsDoNotFitIsNamed() throws Exception {
    Path model = TestModels.copyOf(TestModels.tinySd(), dir);
    Files.copy(model.resolve("text_encoder/model.onnx"), model.resolve("vae_decoder/model.onnx"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    CliTest.Result r = cli("run", "graphs/txt2img.json", "--set", "checkpoint.path=" + model, "--set",
        "sampler.steps=2");
    assertEquals(1, r.exit(), r::all);
    assertTrue(r.err().contains("node 'decode' (VAEDecode) failed: ")
        && r.err().contains("a VAE decoder needs [latent_sample]"), r.err());
    assertClean(r);
  }

  @Test
  void mismatchedTextWidthIsReportedWithBothNumbers() throws Exception {
    Path model = TestModels.copyOf(TestModels.tinySd(), dir);
    Path config = model.resolve("unet/config.json");
    Files.writeString(config, Files.readString(config).replace("\"cross_attention_dim\": 32",
        "\"cross_attention_dim\": 768"));
    CliTest.Result r = cli("run", "graphs/txt2img.json", "--set", "checkpoint.path=" + model);
    assertEquals(1, r.exit(), r::all);
    assertTrue(r.err().contains("hidden size is 32 but the UNet's cross-attention width is 768"), r.err());
  }

  @Test
  void anUnreadableImageIsNamed() throws Exception {
    Path bad = dir.resolve("not-a-picture.png");
    Files.writeString(bad, "this is text, not a PNG");
    CliTest.Result r = cli("run", "graphs/img2img.json", "--set", "checkpoint.path=" + TestModels.tinySd(),
        "--set", "image.image=" + bad);
    assertEquals(1, r.exit(), r::all);
    assertTrue(r.err().contains("node 'image' (LoadImage) failed: cannot read image " + bad), r.err());
    CliTest.Result missing = cli("run", "graphs/img2img.json", "--set", "checkpoint.path=" + TestModels.tinySd(),
        "--set", "image.image=nowhere.png");
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("image file 'nowhere.png' does not exist"), missing.err());
    assertClean(r);
  }

  @Test
  void benchEndsWithTheOverheadLine() {
    CliTest.Result r = cli("bench", "graphs/txt2img.json", "--runs", "2", "--set",
        "checkpoint.path=" + TestModels.tinySd(), "--set", "sampler.steps=4");
    assertEquals(0, r.exit(), r::all);
    String last = r.out().strip().lines().reduce((a, b) -> b).orElse("");
    assertTrue(last.matches("overhead \\d+\\.\\d% \\(total \\d+\\.\\d ms, onnx \\d+\\.\\d ms\\)"), last);
  }
}
