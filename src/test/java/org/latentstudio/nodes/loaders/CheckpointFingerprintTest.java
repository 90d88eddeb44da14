package org.latentstudio.nodes.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.exec.Services;
import org.latentstudio.runtime.ModelLibrary;

/**
 * The checkpoint loader's part of the cache key: a model folder whose files change on disk (a weight rewritten,
 * even one reached through a link, as in the Hugging Face cache) loads again; an unchanged one does not.
 */
class CheckpointFingerprintTest {
  @TempDir
  Path tmp;

  private String fingerprint(Path model) {
    Services services = new Services().with(ModelLibrary.class, new ModelLibrary(java.util.List.of(tmp)));
    return new CheckpointLoader().fingerprint(Map.of("path", model.toString(), "config", ""), services);
  }

  @Test
  void aChangedFileInTheModelFolderChangesTheKey() throws Exception {
    Path blob = Files.writeString(tmp.resolve("blob"), "weights v1");
    Path model = Files.createDirectories(tmp.resolve("model"));
    Files.writeString(model.resolve("model_index.json"), "{}");
    Files.createDirectories(model.resolve("unet"));
    Files.createSymbolicLink(model.resolve("unet/diffusion_pytorch_model.safetensors"), blob);

    String first = fingerprint(model);
    assertEquals(first, fingerprint(model), "nothing changed");

    Files.writeString(blob, "weights v2, longer");
    String resized = fingerprint(model);
    assertNotEquals(first, resized, "the linked weight file grew");

    Files.setLastModifiedTime(blob, FileTime.fromMillis(Files.getLastModifiedTime(blob).toMillis() - 60_000));
    assertNotEquals(resized, fingerprint(model), "the linked weight file has another date");

    Files.setLastModifiedTime(model.resolve("model_index.json"), FileTime.fromMillis(1_000_000));
    assertNotEquals(fingerprint(model), first);
  }
}
