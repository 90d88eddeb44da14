package org.latentstudio.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.latentstudio.tensor.Tensor;
import org.latentstudio.testing.Npy;
import org.latentstudio.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime layer on the real ONNX Runtime with the tiny committed models. */
class OrtRuntimeTest extends RuntimeTest {

  @TempDir
  Path tmp;

  static Tensor random(long seed, int... shape) {
    Random r = new Random(seed);
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = (float) r.nextGaussian();
    }
    return t;
  }

  @Test
  void onThisMachineTheCpuProviderIsChosenWithAReason() {
    ExecutionProvider p = runtime.provider();
    assertEquals(ExecutionProvider.Kind.CPU, p.kind());
    assertTrue(p.describe().startsWith("ONNX Runtime: CPU execution provider ("), p.describe());
    assertFalse(p.reason().isBlank());
  }

  @Test
  void textEncoderReproducesDiffusersPromptEmbeddings() throws Exception {
    ModelFolder folder = ModelFolder.open(TestModels.tinySd());
    // "a red circle on a blue background" in the tiny vocabulary, padded with EOS to 77 as SD1.5 does
    long[] ids = new long[77];
    long[] prompt = {829, 320, 531, 530, 517, 320, 527, 526, 830};
    Arrays.fill(ids, 830);
    System.arraycopy(prompt, 0, ids, 0, prompt.length);
    // diffusers' prompt_embeds hold [negative, positive] for the batched guidance pass
    Tensor expected = Npy.read(TestModels.parity().resolve("euler_leading.prompt_embeds.npy")).slice(1, 2);
    try (TextEncoder encoder = TextEncoder.open(runtime, folder.toModel())) {
      assertEquals(32, encoder.hiddenSize());
      Tensor got = encoder.encode(ids, 1);
      assertTrue(got.sameShape(expected), got + " vs " + expected);
      assertTrue(got.maxAbsDiff(expected) < 1e-4, "max diff " + got.maxAbsDiff(expected));
    }
  }

  @Test
  void timestepAndFloat16VariantsAgreeWithTheFloat32Model() throws Exception {
    Tensor sample = random(1, 2, 4, 8, 8);
    Tensor context = random(2, 2, 77, 32);
    Tensor reference;
    try (UNet unet = UNet.open(runtime, ModelFolder.open(TestModels.tinySd()).toModel())) {
      assertEquals(32, unet.crossAttentionDim());
      reference = unet.predict(sample, 951f, context);
    }
    try (UNet unet = UNet.open(runtime, ModelFolder.open(TestModels.tinySdFloatTimestep()).toModel())) {
      assertTrue(unet.predict(sample, 951f, context).maxAbsDiff(reference) < 1e-4);
    }
    try (UNet unet = UNet.open(runtime, ModelFolder.open(TestModels.tinySdFp16()).toModel())) {
      Tensor half = unet.predict(sample, 951f, context);
      float scale = 0;
      for (float v : reference.data()) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertTrue(half.maxAbsDiff(reference) < 5e-3 * scale, "fp16 diff " + half.maxAbsDiff(reference));
    }
    try (VaeDecoder a = VaeDecoder.open(runtime, ModelFolder.open(TestModels.tinySd()).toModel());
        VaeDecoder b = VaeDecoder.open(runtime, ModelFolder.open(TestModels.tinySdFp16()).toModel())) {
      Tensor latent = random(3, 1, 4, 8, 12);
      Tensor x = a.decode(latent);
      assertEquals(java.util.List.of(1, 3, 64, 96), Arrays.stream(x.shape()).boxed().toList());
      assertTrue(b.decode(latent).maxAbsDiff(x) < 2e-2, "fp16 decoder diff " + b.decode(latent).maxAbsDiff(x));
    }
  }

  @Test
  void vaeEncoderGivesTheDistribution() throws Exception {
    try (VaeEncoder enc = VaeEncoder.open(runtime, ModelFolder.open(TestModels.tinySd()).toModel())) {
      VaeEncoder.Encoded e = enc.encode(random(4, 1, 3, 64, 64));
      assertEquals(java.util.List.of(1, 4, 8, 8), Arrays.stream(e.mean().shape()).boxed().toList());
      assertTrue(e.std() != null && e.std().get(0) > 0);
    }
  }

  @Test
  void sessionsAreReusedAndUnloadedLeastRecentlyUsedUnderTheBudget() throws Exception {
    try (OrtRuntime small = new OrtRuntime(RuntimeSettings.defaults().withSessionBudget(3_000_000))) {
      ModelFolder f = ModelFolder.open(TestModels.tinySd());
      try (ModelLease a = small.open(f.unet()); ModelLease b = small.open(f.unet())) {
        assertTrue(a.model() == b.model(), "the same session serves both");
      }
      assertEquals(1, small.modelLoads());
      // the UNet (about 1 MB) and the other models fit, together about 2 MB
      small.open(f.textEncoder()).close();
      small.open(f.vaeDecoder()).close();
      assertTrue(small.isLoaded(f.unet()));
      small.setSessionBudget(700_000);
      small.open(f.vaeDecoder()).close();
      assertFalse(small.isLoaded(f.unet()), "the least recently used model was unloaded");
      assertTrue(small.isLoaded(f.vaeDecoder()), "the one just used stays");
    }
  }

  @Test
  void aModelInUseIsNotUnloaded() throws Exception {
    try (OrtRuntime small = new OrtRuntime(RuntimeSettings.defaults().withSessionBudget(1))) {
      ModelFolder f = ModelFolder.open(TestModels.tinySd());
      try (UNet unet = UNet.open(small, f.toModel())) {
        small.open(f.vaeDecoder()).close();
        assertTrue(small.isLoaded(f.unet()));
        unet.predict(random(1, 1, 4, 8, 8), 1f, random(2, 1, 77, 32)); // still usable
      }
      small.open(f.vaeDecoder()).close();
      assertFalse(small.isLoaded(f.unet()));
    }
  }

  @Test
  void missingOrMalformedFilesAreNamedWithTheLayout() throws Exception {
    Path copy = TestModels.copyOf(TestModels.tinySd(), tmp);
    Files.delete(copy.resolve("unet/model.onnx"));
    ModelException missing = assertThrows(ModelException.class, () -> ModelFolder.open(copy));
    assertTrue(missing.getMessage().contains("is missing unet/model.onnx"), missing.getMessage());
    assertTrue(missing.getMessage().contains("vae_decoder/model.onnx"), "shows the layout");

    Path copy2 = TestModels.copyOf(TestModels.tinySd(), tmp.resolve("b"));
    Files.writeString(copy2.resolve("scheduler/scheduler_config.json"), "{\"beta_start\": 0.00085,");
    ModelException bad = assertThrows(ModelException.class, () -> ModelFolder.open(copy2));
    assertTrue(bad.getMessage().contains("scheduler_config.json is not valid JSON"), bad.getMessage());

    ModelException none = assertThrows(ModelException.class, () -> ModelFolder.open(tmp.resolve("nothing")));
    assertTrue(none.getMessage().contains("does not exist"), none.getMessage());
  }

  @Test
  void aTruncatedOrWrongModelFileIsAClearError() throws Exception {
    Path copy = TestModels.copyOf(TestModels.tinySd(), tmp);
    Path decoder = copy.resolve("vae_decoder/model.onnx");
    byte[] bytes = Files.readAllBytes(decoder);
    Files.write(decoder, Arrays.copyOf(bytes, bytes.length / 3));
    ModelException truncated = assertThrows(ModelException.class,
        () -> VaeDecoder.open(runtime, ModelFolder.open(copy).toModel()));
    assertTrue(truncated.getMessage().contains("cannot load the ONNX model " + decoder), truncated.getMessage());
    assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

    Files.copy(copy.resolve("text_encoder/model.onnx"), copy.resolve("unet/model.onnx"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    ModelException wrong = assertThrows(ModelException.class, () -> UNet.open(runtime, ModelFolder.open(copy).toModel()));
    assertTrue(wrong.getMessage().contains("a Stable Diffusion UNet needs [sample, timestep, encoder_hidden_states]"),
        wrong.getMessage());
    assertTrue(wrong.getMessage().contains("input_ids"), "names what the file has: " + wrong.getMessage());
  }
}
