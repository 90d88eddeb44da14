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

  /** A folder's listing is kept between runs (FolderListings); files added to or removed from it still count. */
  @Test
  void aFileAddedToOrRemovedFromASettledFolderChangesTheKey() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("model"));
    Path unet = Files.createDirectories(model.resolve("unet"));
    Files.writeString(unet.resolve("model.onnx"), "graph");
    settle(unet);
    settle(model);
    String first = fingerprint(model);

    Files.writeString(unet.resolve("model.onnx_data"), "weights");
    String added = fingerprint(model);
    assertNotEquals(first, added, "a weight file appeared beside the graph");
    settle(unet);
    assertEquals(added, fingerprint(model));

    Files.delete(unet.resolve("model.onnx_data"));
    assertEquals(first, fingerprint(model), "the weight file is gone again");
  }

  /**
   * Where dates are coarse, a file added in the same tick as the listing leaves the folder's date as it was; a
   * folder changed within the last seconds is therefore read again each run, and only a settled one is kept.
   */
  @Test
  void aRecentlyChangedFolderIsReadAgainEvenWhenItsDateStaysTheSame() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("model"));
    Files.writeString(model.resolve("model_index.json"), "{}");
    FileTime justNow = FileTime.fromMillis(System.currentTimeMillis() - 100);
    Files.setLastModifiedTime(model, justNow);
    String first = fingerprint(model);

    Files.writeString(model.resolve("vae.safetensors"), "weights");
    Files.setLastModifiedTime(model, justNow); // the same tick
    assertNotEquals(first, fingerprint(model), "a folder changed just now is read again");

    // the converse shows the listing is kept at all: a settled folder whose date is put back is not read again
    FileTime settled = settle(model);
    String kept = fingerprint(model);
    Files.writeString(model.resolve("text_encoder.safetensors"), "weights");
    Files.setLastModifiedTime(model, settled);
    assertEquals(kept, fingerprint(model), "a settled folder's kept listing");
  }

  /** A component folder reached through a link that now points at another folder of the same date. */
  @Test
  void aFolderLinkRetargetedToAnotherFolderOfTheSameDateIsReadAgain() throws Exception {
    FileTime date = FileTime.fromMillis(System.currentTimeMillis() - 2 * FolderListings.SETTLED);
    FileTime fileDate = FileTime.fromMillis(1_000_000);
    Path a = Files.createDirectories(tmp.resolve("a"));
    Path b = Files.createDirectories(tmp.resolve("b"));
    for (Path dir : new Path[] {a, b}) {
      Files.setLastModifiedTime(Files.writeString(dir.resolve("model.onnx"), "graph"), fileDate);
    }
    Files.writeString(b.resolve("model.onnx_data"), "weights");
    Files.setLastModifiedTime(a, date);
    Files.setLastModifiedTime(b, date);
    Path model = Files.createDirectories(tmp.resolve("model"));
    Path unet = Files.createSymbolicLink(model.resolve("unet"), a);
    FileTime modelDate = settle(model);
    String first = fingerprint(model);

    Files.delete(unet);
    Files.createSymbolicLink(unet, b);
    Files.setLastModifiedTime(model, modelDate);
    assertNotEquals(first, fingerprint(model), "b's weight file counts");
  }

  private static int settled;

  /**
   * Dates a folder well past {@link FolderListings#SETTLED}, a second earlier at each call: two calls within one
   * millisecond would otherwise give a changed folder back the very date its kept listing has, which no real
   * change does (a change dates the folder now, and a kept listing's date is seconds old).
   */
  private static FileTime settle(Path dir) throws java.io.IOException {
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 2 * FolderListings.SETTLED - 1000L * ++settled);
    Files.setLastModifiedTime(dir, old);
    return old;
  }
}
