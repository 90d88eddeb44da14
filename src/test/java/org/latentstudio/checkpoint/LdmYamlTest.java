package org.latentstudio.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.testing.TestModels;

/**
 * What a single file cannot tell comes from SD1.5's defaults, from an original LDM .yaml beside the file (A1111's
 * convention: same name) or from one given as the config.
 */
class LdmYamlTest {
  static final Path C = TestModels.resources().resolve("compiler/c/c-fp16.safetensors");

  @TempDir
  Path tmp;

  private Path copyWithYaml(String yaml) throws Exception {
    Path file = Files.copy(C, tmp.resolve("model.safetensors"));
    if (yaml != null) {
      Files.writeString(tmp.resolve("model.yaml"), yaml);
    }
    return file;
  }

  /** An LDM inference config; {@code unetParam} and {@code modelParam} are extra "key: value" lines or empty. */
  private static String yaml(String unetParam, String modelParam) {
    String model = modelParam.isEmpty() ? "" : "    " + modelParam.replace("\n", "\n    ") + "\n";
    String unet = unetParam.isEmpty() ? "" : "        " + unetParam + "\n";
    return "model:\n"
        + "  target: ldm.models.diffusion.ddpm.LatentDiffusion\n"
        + "  params:\n"
        + "    linear_start: 0.00085\n"
        + "    linear_end: 0.012\n"
        + model
        + "    unet_config:\n"
        + "      target: ldm.modules.diffusionmodules.openaimodel.UNetModel\n"
        + "      params:\n"
        + "        in_channels: 4\n"
        + "        model_channels: 32\n"
        + "        context_dim: 24\n"
        + unet
        + "    cond_stage_config:\n"
        + "      target: ldm.modules.encoders.modules.FrozenCLIPEmbedder\n";
  }

  @Test
  void withoutAConfigSd15sValuesApply() throws Exception {
    SdCheckpoint c = SingleFileCheckpoint.read(copyWithYaml(null), null);
    assertArrayEquals(new int[] {8, 8, 8, 8}, c.unet().config().headsPerBlock());
    assertEquals(32, c.unet().config().normGroups());
    assertEquals(0.18215, c.vae().config().scalingFactor(), 1e-9);
    assertEquals("epsilon", c.scheduler().string("prediction_type", ""));
    assertNull(c.tokenizerDir(), "the bundled CLIP vocabulary");
    assertEquals(12, c.textEncoder().config().heads());
  }

  @Test
  void aYamlBesideTheFileGivesHeadsScaleAndSchedule() throws Exception {
    Path file = copyWithYaml(yaml("num_heads: 4", "parameterization: v\nscale_factor: 0.13025"));
    SdCheckpoint c = SingleFileCheckpoint.read(file, null);
    assertArrayEquals(new int[] {4, 4, 4, 4}, c.unet().config().headsPerBlock());
    assertEquals(0.13025, c.vae().config().scalingFactor(), 1e-9);
    assertEquals("v_prediction", c.scheduler().string("prediction_type", ""));
  }

  @Test
  void headChannelsGiveHeadsPerLevel() throws Exception {
    Path file = copyWithYaml(null);
    Path yaml = Files.writeString(tmp.resolve("other.yaml"), yaml("num_head_channels: 16", ""));
    SdCheckpoint c = SingleFileCheckpoint.read(file, yaml);
    assertArrayEquals(new int[] {2, 2, 2, 2}, c.unet().config().headsPerBlock(), "32 channels / 16 per head");
  }

  @Test
  void anSd2YamlIsRefused() throws Exception {
    Path file = copyWithYaml(yaml("", "").replace("FrozenCLIPEmbedder", "FrozenOpenCLIPEmbedder"));
    CheckpointException e = assertThrows(CheckpointException.class, () -> SingleFileCheckpoint.read(file, null));
    assertTrue(e.getMessage().contains("model.yaml") && e.getMessage().contains("2.x"), e.getMessage());
  }

  @Test
  void aBrokenYamlIsNamed() throws Exception {
    Path file = copyWithYaml("model: [unclosed");
    CheckpointException e = assertThrows(CheckpointException.class, () -> SingleFileCheckpoint.read(file, null));
    assertTrue(e.getMessage().contains("model.yaml") && e.getMessage().contains("YAML"), e.getMessage());
  }
}
