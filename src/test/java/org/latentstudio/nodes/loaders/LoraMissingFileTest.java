package org.latentstudio.nodes.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.exec.Services;
import org.latentstudio.runtime.ModelLibrary;

/**
 * validate reports a missing LoRA exactly where the run would read it: not at strength 0, but when a strength is
 * fed by a link (absent from the literals), since its value is unknown before the run.
 */
class LoraMissingFileTest {
  @TempDir
  Path models;

  private Map<String, String> missing(Map<String, Object> literals, boolean withClip) {
    Services services = new Services().with(ModelLibrary.class, new ModelLibrary(List.of(models)));
    return LoraApply.missing(literals, services, withClip);
  }

  @Test
  void atStrengthZeroTheFileIsNotNeeded() {
    assertEquals(Map.of(), missing(Map.of("lora_name", "ink", "strength_model", 0.0, "strength_clip", 0.0), true));
    assertEquals(Map.of(), missing(Map.of("lora_name", "ink", "strength_model", 0.0), false), "the model-only loader");
  }

  @Test
  void aStrengthFedByALinkCountsAsNotZero() {
    assertTrue(missing(Map.of("lora_name", "ink", "strength_model", 0.0), true).get("lora_name")
        .startsWith("no LoRA 'ink' in the loras folders"), "strength_clip comes from a link");
    assertTrue(missing(Map.of("lora_name", "ink"), false).containsKey("lora_name"), "strength_model from a link");
    assertTrue(missing(Map.of("lora_name", "ink", "strength_model", 0.5, "strength_clip", 0.0), true)
        .containsKey("lora_name"));
  }
}
