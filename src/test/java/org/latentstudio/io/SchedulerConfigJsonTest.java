package org.latentstudio.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.diffusion.SchedulerConfig;

class SchedulerConfigJsonTest {
  @Test
  void readsSd15ConfigWithTypesAndDropsNulls(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("scheduler_config.json"), """
        { "_class_name": "PNDMScheduler", "beta_end": 0.012, "beta_schedule": "scaled_linear",
          "clip_sample": false, "num_train_timesteps": 1000, "steps_offset": 1, "trained_betas": null }
        """);
    SchedulerConfig c = SchedulerConfigJson.read(dir);
    assertEquals("PNDMScheduler", c.className().orElseThrow());
    assertEquals(0.012, c.real("beta_end", 0));
    assertEquals(1000, c.integer("num_train_timesteps", 0));
    assertEquals(1000.0, c.real("num_train_timesteps", 0));
    assertFalse(c.bool("clip_sample", true));
    assertFalse(c.has("trained_betas"));
    assertEquals("linspace", c.string("timestep_spacing", "linspace"), "absent keys take the reader's default");
    assertThrows(IllegalArgumentException.class, () -> c.integer("beta_end", 0));
  }

  @Test
  void trainedBetasAndOverrides() {
    SchedulerConfig c = SchedulerConfigJson.parse("{\"trained_betas\": [0.1, 0.2, 0.3], \"timestep_spacing\": \"leading\"}");
    assertEquals(3, c.reals("trained_betas").orElseThrow().length);
    SchedulerConfig t = c.with("timestep_spacing", "trailing");
    assertEquals("trailing", t.string("timestep_spacing", null));
    assertEquals("leading", c.string("timestep_spacing", null), "with() copies");
    assertFalse(t.with("timestep_spacing", null).has("timestep_spacing"));
  }

  @Test
  void rejectsWhatIsNotAConfig() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SchedulerConfigJson.parse("[1]"));
    assertTrue(e.getMessage().contains("object"));
    assertThrows(IllegalArgumentException.class, () -> SchedulerConfigJson.parse("{\"a\": {\"b\": 1}}"));
    assertThrows(IllegalArgumentException.class, () -> SchedulerConfigJson.parse("{nope"));
  }
}
