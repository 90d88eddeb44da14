package org.latentstudio.runtime;

import org.latentstudio.tensor.Tensor;

/** A compiled CLIP image encoder: preprocessed pixels [B, 3, S, S] → image embeddings [B, projection]. */
public final class ClipVisionEncoder implements AutoCloseable {
  private final ModelLease lease;

  private ClipVisionEncoder(ModelLease lease) throws ModelException {
    this.lease = lease;
    lease.model().requireInputs("a CLIP vision encoder", "pixel_values");
    lease.model().requireOutput("a CLIP vision encoder", "image_embeds");
  }

  public static ClipVisionEncoder open(OrtRuntime runtime, ModelSource source) throws ModelException {
    return runtime.open(source, ClipVisionEncoder::new);
  }

  public Tensor encode(Tensor pixelValues) throws ModelException {
    return lease.model().run(new ModelInputs().floats("pixel_values", pixelValues), "image_embeds").get("image_embeds");
  }

  /** An IP-Adapter's image projection: embeddings [B, D] → image tokens [B, tokens, cross]. */
  public static Tensor project(OrtRuntime runtime, ModelSource projection, Tensor embeds) throws ModelException {
    try (ModelLease lease = runtime.open(projection)) {
      lease.model().requireInputs("an IP-Adapter image projection", "image_embeds");
      return lease.model().run(new ModelInputs().floats("image_embeds", embeds), "image_prompt_embeds")
          .get("image_prompt_embeds");
    }
  }

  @Override
  public void close() {
    lease.close();
  }
}
