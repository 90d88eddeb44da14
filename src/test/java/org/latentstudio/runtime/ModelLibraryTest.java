package org.latentstudio.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a checkpoint's name or path is found. The tests run in the project folder, which holds a README.md: it
 * stands for a folder or file that happens to have a model's name where the command runs (an output folder
 * called "shapes" hid the bundled model).
 */
class ModelLibraryTest {
  @TempDir
  Path models;

  @Test
  void aBareNameIsAModelsNameBeforeAPathWhereTheCommandRuns() throws Exception {
    Path inModels = Files.writeString(models.resolve("README.md"), "a model of that name");
    ModelLibrary library = new ModelLibrary(List.of(models));
    assertEquals(inModels, library.resolveCheckpoint("README.md"));
    assertEquals(Path.of("README.md").toAbsolutePath(), library.resolveCheckpoint("./README.md"), "a path");
  }

  @Test
  void addOnsAndLorasFollowTheSameRule() throws Exception {
    Path controlnet = Files.writeString(Files.createDirectories(models.resolve("controlnet")).resolve("README.md"), "");
    Path lora = Files.writeString(Files.createDirectories(models.resolve("loras")).resolve("README.md"), "");
    ModelLibrary library = new ModelLibrary(List.of(models));
    assertEquals(controlnet, library.resolve(ModelLibrary.Kind.CONTROLNET, "README.md"));
    assertEquals(lora, library.resolveLora("README.md"));
    assertEquals(Path.of("README.md").toAbsolutePath(), library.resolveLora("./README.md"));
  }

  @Test
  void aBareNameNoModelsFolderHasIsAPathWhereTheCommandRuns() throws Exception {
    ModelLibrary library = new ModelLibrary(List.of(models));
    assertEquals(Path.of("README.md").toAbsolutePath(), library.resolveCheckpoint("README.md"));
  }
}
