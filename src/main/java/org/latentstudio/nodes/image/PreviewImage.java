package org.latentstudio.nodes.image;

import java.util.List;
import org.latentstudio.exec.Display;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.image.ImageBatch;
import org.latentstudio.nodes.Ports;

/** Shows pictures in the studio without saving them. */
public final class PreviewImage implements NodeType {
  @Override
  public NodeSchema schema() {
    return NodeSchema.of("PreviewImage", "Preview Image", "image", List.of(Ports.IMAGES_IN), List.of())
        .asOutputNode();
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    ImageBatch images = in.get(Ports.IMAGES_IN);
    return Outputs.none().withDisplay(Display.images(images.toRgbList(), List.of()));
  }
}
