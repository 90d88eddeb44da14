package org.latentstudio.interop.comfy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.latentstudio.exec.NodeRegistry;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.nodes.BuiltinNodes;
import org.latentstudio.testing.Resources;

/**
 * Writing a workflow for ComfyUI and reading it back gives the same graph: exactly for the UI format, and for
 * the API format up to what it cannot hold (positions, groups, notes, reroutes).
 */
class ComfyRoundTripTest {
  static final NodeRegistry CATALOG = BuiltinNodes.registry();

  static Stream<Path> ourGraphs() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("graphs"))) {
      List<Path> list = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      assertFalse(list.isEmpty());
      return list.stream();
    }
  }

  static Graph uiRoundTrip(Workflow wf) throws Exception {
    JsonNode ui = new ComfyWorkflowWriter(CATALOG).write(wf);
    JsonNode reparsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ui.toString());
    assertTrue(ComfyWorkflowReader.looks(reparsed), "what we write is recognised as a ComfyUI workflow");
    return new ComfyWorkflowReader(CATALOG, null).read(reparsed, "round trip").workflow().graph();
  }

  @ParameterizedTest
  @MethodSource("ourGraphs")
  void everyGraphSurvivesTheUiFormatExactly(Path file) throws Exception {
    Workflow wf = new WorkflowCodec().read(file);
    assertEquals(wf.graph(), uiRoundTrip(wf));
  }

  @ParameterizedTest
  @MethodSource("ourGraphs")
  void everyGraphSurvivesTheApiFormatBarTheLayout(Path file) throws Exception {
    Graph g = new WorkflowCodec().read(file).graph();
    ObjectNode api = new ComfyPromptWriter(CATALOG).write(g);
    assertEquals("ddim_uniform", api.path("sampler").path("inputs").path("scheduler").asText(),
        "our normal (leading for SD1.5) is ComfyUI's ddim_uniform");
    assertFalse(api.path("sampler").path("inputs").has("eta"), "defaults ComfyUI lacks are left out");
    Graph back = new ComfyPromptReader(CATALOG, null).read(api, "api").workflow().graph();
    assertEquals(g.nodes().keySet(), back.nodes().keySet());
    for (Node n : g.nodeList()) {
      Node b = back.require(n.id());
      assertEquals(n.type(), b.type());
      assertEquals(n.title(), b.title(), n.id().value());
      assertEquals(n.widgets(), b.widgets(), n.id().value());
    }
    assertEquals(new java.util.HashSet<>(g.links()), new java.util.HashSet<>(back.links()));
  }

  @Test
  void addOnNodesGetComfyUIsNamesAndEveryInputItRequires() throws Exception {
    ObjectNode ip = new ComfyPromptWriter(CATALOG).write(new WorkflowCodec().read(Path.of("graphs/ip_adapter.json"))
        .graph());
    JsonNode apply = ip.path("apply_ip");
    assertEquals("IPAdapterAdvanced", apply.path("class_type").asText());
    assertEquals("concat", apply.path("inputs").path("combine_embeds").asText(), "required by IPAdapter_plus");
    assertEquals("V only", apply.path("inputs").path("embeds_scaling").asText(), "what the adapter here does");
    assertTrue(apply.path("inputs").path("clip_vision").isArray(), "the vision encoder is a link");

    ObjectNode cn = new ComfyPromptWriter(CATALOG).write(new WorkflowCodec().read(Path.of("graphs/controlnet.json"))
        .graph());
    JsonNode inputs = cn.path("apply").path("inputs");
    assertEquals("ControlNetApplyAdvanced", cn.path("apply").path("class_type").asText());
    for (String name : List.of("positive", "negative", "control_net", "image", "strength", "start_percent",
        "end_percent")) {
      assertTrue(inputs.has(name), name);
    }

    JsonNode ui = new ComfyWorkflowWriter(CATALOG).write(new WorkflowCodec().read(Path.of("graphs/ip_adapter.json")));
    JsonNode node = null;
    for (JsonNode n : ui.path("nodes")) {
      if (n.path("type").asText().equals("IPAdapterAdvanced")) {
        node = n;
      }
    }
    assertEquals("[1.0,\"linear\",\"concat\",0.0,1.0,\"V only\"]", node.path("widgets_values").toString(),
        "IPAdapter_plus's widget order");
    JsonNode applyControl = null;
    for (JsonNode n : new ComfyWorkflowWriter(CATALOG).write(new WorkflowCodec().read(Path.of("graphs/controlnet.json")))
        .path("nodes")) {
      if (n.path("type").asText().equals("ControlNetApplyAdvanced")) {
        applyControl = n;
      }
    }
    assertEquals("CONDITIONING", applyControl.path("outputs").get(0).path("type").asText());
    assertEquals("CONDITIONING", applyControl.path("outputs").get(1).path("type").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"txt2img.ui.json", "img2img.ui.json", "inpaint.ui.json", "unsupported.ui.json"})
  void comfyWorkflowsSurviveBeingWrittenBack(String name) throws Exception {
    Workflow first = new ComfyWorkflowReader(CATALOG, null).read(Resources.json("comfy/" + name), name).workflow();
    assertEquals(first.graph(), uiRoundTrip(first), "placeholders, reroutes and primitives come back as they were");
  }

  @Test
  void placeholdersKeepTheirComfyNodeForComfy() throws Exception {
    Workflow wf = new ComfyWorkflowReader(CATALOG, null).read(Resources.json("comfy/unsupported.ui.json"), "u")
        .workflow();
    JsonNode ui = new ComfyWorkflowWriter(CATALOG).write(wf);
    JsonNode upscale = null;
    for (JsonNode n : ui.get("nodes")) {
      if (n.get("id").asInt() == 12) {
        upscale = n;
      }
    }
    assertEquals("ImageUpscaleWithModel", upscale.get("type").asText());
    assertEquals("upscale_model", upscale.get("inputs").get(0).get("name").asText());
    assertEquals("UPSCALE_MODEL", upscale.get("inputs").get(0).get("type").asText());
    assertTrue(upscale.get("inputs").get(0).get("link").isNumber());
    var e = assertThrows(ComfyPromptWriter.NotExportable.class, () -> new ComfyPromptWriter(CATALOG).write(wf.graph()));
    assertTrue(e.getMessage().contains("'11' (UpscaleModelLoader)") && e.getMessage().contains("'12'"), e.getMessage());
  }

  @Test
  void theApiFormatDropsNotesAndMutedNodesAndWiresThroughReroutesBypassesAndPrimitives() throws Exception {
    Graph g = new ComfyWorkflowReader(CATALOG, null).read(Resources.json("comfy/txt2img.ui.json"), "t")
        .workflow().graph();
    // the muted placeholder does not stop the export: it is not in the prompt
    ObjectNode api = new ComfyPromptWriter(CATALOG).write(g);
    assertEquals(List.of("4", "6", "7", "5", "3", "11", "8", "9"), iterate(api));
    assertEquals("[\"5\",0]", api.get("3").get("inputs").get("latent_image").toString(), "through the bypass");
    assertEquals("[\"4\",2]", api.get("8").get("inputs").get("vae").toString(), "through the reroute");
    assertEquals("[\"11\",0]", api.get("3").get("inputs").get("seed").toString(), "the seed comes from the primitive");
    assertEquals("PrimitiveInt", api.get("11").get("class_type").asText());
    assertFalse(api.get("3").get("inputs").has("eta"));
    Graph muted = g.withNode(g.require(NodeId.of("6")).withMode(NodeMode.MUTED));
    assertFalse(new ComfyPromptWriter(CATALOG).write(muted).get("3").get("inputs").has("positive"),
        "an input fed by a muted node is left open, as ComfyUI's front end does");
    assertEquals(Link.of("4", "VAE", "10", "input"), g.linkInto(org.latentstudio.graph.PortRef.of("10", "input"))
        .orElseThrow());
  }

  @Test
  void comfyLoraLoadersReadAsOursAndWriteBack() throws Exception {
    JsonNode prompt = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
        {"4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "v1-5.safetensors"}},
         "10": {"class_type": "LoraLoader", "inputs": {"model": ["4", 0], "clip": ["4", 1],
                "lora_name": "styles\\\\ink.safetensors", "strength_model": 0.8, "strength_clip": 0.5}},
         "11": {"class_type": "LoraLoaderModelOnly", "inputs": {"model": ["10", 0],
                "lora_name": "detail.safetensors", "strength_model": 1.2}}}""");
    Graph g = new ComfyPromptReader(CATALOG, null).read(prompt, "p").workflow().graph();
    Node lora = g.require(NodeId.of("10"));
    assertEquals("LoraLoader", lora.type());
    assertEquals("styles/ink.safetensors", lora.widgets().get("lora_name"), "ComfyUI's Windows separator is ours");
    assertEquals(0.8, ((Number) lora.widgets().get("strength_model")).doubleValue());
    assertEquals(0.5, ((Number) lora.widgets().get("strength_clip")).doubleValue());
    assertEquals("LoraLoaderModelOnly", g.require(NodeId.of("11")).type());
    assertTrue(g.links().containsAll(List.of(Link.of("4", "MODEL", "10", "model"), Link.of("4", "CLIP", "10", "clip"),
        Link.of("10", "MODEL", "11", "model"))), g.links().toString());
    ObjectNode back = new ComfyPromptWriter(CATALOG).write(g);
    assertEquals("LoraLoader", back.get("10").get("class_type").asText());
    assertEquals("[\"10\",0]", back.get("11").get("inputs").get("model").toString());
    assertEquals(1.2, back.get("11").get("inputs").get("strength_model").asDouble());
  }

  static List<String> iterate(ObjectNode o) {
    List<String> out = new java.util.ArrayList<>();
    o.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
