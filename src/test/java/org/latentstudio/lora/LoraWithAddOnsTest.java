package org.latentstudio.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.cli.Overrides;
import org.latentstudio.exec.RunResult;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.nodes.values.Latent;
import org.latentstudio.testing.AppTest;
import org.latentstudio.testing.WorkflowRuns;

/**
 * A LoRA on a model that also takes a ControlNet: the UNet variant with the residual inputs gets the LoRA merged
 * as the plain UNet does (shapes pack). With the ControlNet at strength 0 the picture is bit for bit the LoRA's
 * alone; at strength 1 it differs from both the LoRA alone and the ControlNet alone.
 */
class LoraWithAddOnsTest extends AppTest {
  @TempDir
  static Path tmp;

  /** graphs/controlnet.json with graphs/lora.json's loader between the checkpoint and its users. */
  static Graph controlNetWithLora(List<String> sets) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode wf = (ObjectNode) json.readTree(Path.of("graphs/controlnet.json").toFile());
    for (JsonNode n : json.readTree(Path.of("graphs/lora.json").toFile()).path("nodes")) {
      if (n.path("id").asText().equals("lora")) {
        ((ArrayNode) wf.path("nodes")).add(n);
      }
    }
    for (JsonNode l : wf.path("links")) {
      String from = l.path("from").asText();
      if (from.equals("checkpoint.MODEL") || from.equals("checkpoint.CLIP")) {
        ((ObjectNode) l).put("from", from.replace("checkpoint.", "lora."));
      }
    }
    ((ArrayNode) wf.path("links")).addObject().put("from", "checkpoint.MODEL").put("to", "lora.model");
    ((ArrayNode) wf.path("links")).addObject().put("from", "checkpoint.CLIP").put("to", "lora.clip");
    Path file = Files.createTempFile(tmp, "controlnet-lora", ".json");
    json.writeValue(file.toFile(), wf);
    return Overrides.apply(new WorkflowCodec().read(file).graph(), app.registry(), sets);
  }

  static float[] latents(Graph g) {
    app.executor().cache().clear();
    RunResult r = WorkflowRuns.run(app, tmp, g);
    assertTrue(r.succeeded(), r::failureMessage);
    return ((Latent) r.outputs().get(NodeId.of("sampler")).get("LATENT")).samples().data();
  }

  @Test
  void theControlNetsUNetVariantCarriesTheLora() throws Exception {
    String prompt = "positive.text=a large blue star, white background in sks style";
    float[] loraAlone = latents(WorkflowRuns.graph(app, "lora.json", List.of(prompt, "sampler.seed=7")));
    float[] inactiveControl = latents(controlNetWithLora(List.of(prompt, "sampler.seed=7", "apply.strength=0")));
    assertArrayEquals(loraAlone, inactiveControl, "the variant fed zero residuals is the LoRA's UNet");

    float[] both = latents(controlNetWithLora(List.of(prompt, "sampler.seed=7")));
    float[] controlAlone = latents(WorkflowRuns.graph(app, "controlnet.json", List.of(prompt, "sampler.seed=7")));
    assertFalse(Arrays.equals(both, loraAlone), "the ControlNet acts");
    assertFalse(Arrays.equals(both, controlAlone), "the LoRA acts");
  }
}
