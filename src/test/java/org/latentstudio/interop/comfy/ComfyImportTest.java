package org.latentstudio.interop.comfy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.latentstudio.exec.NodeRegistry;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.Problem;
import org.latentstudio.graph.Vec2;
import org.latentstudio.nodes.BuiltinNodes;
import org.latentstudio.testing.Resources;

/**
 * The hand-made ComfyUI workflows in src/test/resources/comfy load to the graphs they describe: node types and
 * ids, widget values read by position (the seed's "control after generate" included), links by slot, reroutes
 * (nodes and the front end's waypoints), primitives, notes, groups, modes, and placeholders for what we lack.
 */
class ComfyImportTest {
  static final NodeRegistry CATALOG = BuiltinNodes.registry();
  /** Models folders that hold one model folder, "shapes". */
  static final ModelNames SHAPES_ONLY = name -> name.equals("shapes") ? java.util.Optional.empty()
      : java.util.Optional.of("no checkpoint '" + name + "' (found: shapes)");

  static Imported ui(String name) throws Exception {
    return new ComfyWorkflowReader(CATALOG, SHAPES_ONLY).read(Resources.json("comfy/" + name), name);
  }

  static Imported api(String name) throws Exception {
    return new ComfyPromptReader(CATALOG, SHAPES_ONLY).read(Resources.json("comfy/" + name), name);
  }

  static Set<String> links(Graph g) {
    Set<String> out = new TreeSet<>();
    for (Link l : g.links()) {
      out.add(l.from() + " -> " + l.to());
    }
    return out;
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void txt2imgVersion04LoadsEveryNodeLinkAndValue() throws Exception {
    Imported im = ui("txt2img.ui.json");
    Graph g = im.workflow().graph();
    assertEquals(List.of("4", "6", "7", "5", "15", "3", "11", "8", "10", "9", "13", "14", "12"),
        g.nodes().keySet().stream().map(NodeId::value).toList(), "ComfyUI's ids, in file order");
    Node sampler = g.require(NodeId.of("3"));
    assertEquals("KSampler", sampler.type());
    assertEquals(map("seed", 42L, "seed.after_run", "fixed", "steps", 20L, "cfg", 5.0, "sampler_name", "euler",
        "scheduler", "leading", "denoise", 1.0), sampler.widgets(),
        "widgets by ComfyUI's order; ddim_uniform is diffusers' leading spacing; eta, which ComfyUI lacks, stays unset");
    assertEquals(map("path", "shapes"), g.require(NodeId.of("4")).widgets(),
        "shapes.safetensors is not there, the model folder shapes is");
    assertEquals("CheckpointLoader", g.require(NodeId.of("4")).type());
    assertEquals("Positive prompt", g.require(NodeId.of("6")).title());
    assertNull(g.require(NodeId.of("7")).title());
    assertEquals(map("width", 64L, "height", 64L, "batch_size", 1L), g.require(NodeId.of("5")).widgets());

    Node seed = g.require(NodeId.of("11"));
    assertEquals("PrimitiveInt", seed.type(), "the front end's PrimitiveNode becomes our integer node");
    assertEquals(42L, seed.widgets().get("value"));
    assertEquals("Seed", seed.title());
    assertEquals("Reroute", g.require(NodeId.of("10")).type());
    assertEquals(NodeMode.BYPASSED, g.require(NodeId.of("15")).mode());
    assertEquals(NodeMode.MUTED, g.require(NodeId.of("13")).mode());
    assertEquals("Note", g.require(NodeId.of("12")).type());
    assertTrue(String.valueOf(g.require(NodeId.of("12")).widgets().get("text")).startsWith("Hand-made"));

    Node upscaler = g.require(NodeId.of("14"));
    assertEquals("UpscaleModelLoader", upscaler.type(), "a type we lack keeps its ComfyUI name");
    assertEquals(NodeMode.MUTED, upscaler.mode());
    @SuppressWarnings("unchecked")
    Map<String, Object> kept = (Map<String, Object>) upscaler.widgets().get(ComfyWorkflowReader.PLACEHOLDER_KEY);
    assertEquals(List.of("RealESRGAN_x4plus.pth"), kept.get("widgets_values"), "its values are kept");

    assertEquals(new TreeSet<>(List.of(
        "4.MODEL -> 3.model", "5.LATENT -> 15.samples", "4.CLIP -> 6.clip", "6.CONDITIONING -> 3.positive",
        "4.CLIP -> 7.clip", "7.CONDITIONING -> 3.negative", "3.LATENT -> 8.samples", "8.IMAGE -> 9.images",
        "4.VAE -> 10.input", "11.INT -> 3.seed", "10.output -> 8.vae", "8.IMAGE -> 13.images",
        "15.LATENT -> 3.latent_image")), links(g));

    assertEquals(List.of(new Group("Prompt", "#3f789e", new org.latentstudio.graph.Rect(390, 110, 470, 480))),
        g.groups());
    assertEquals(new Vec2(863, 186 - 30), sampler.position(), "the title bar sits inside the node's box here");
    assertEquals(new Vec2(315, 262 + 30), sampler.size());
    assertTrue(im.notes().isEmpty(), im.notes().toString());
  }

  @Test
  void img2imgVersion1WithNativeReroutesAndNewStyleInputs() throws Exception {
    Graph g = ui("img2img.ui.json").workflow().graph();
    assertEquals(map("image", "assets/inputs/red-circle.png"), g.require(NodeId.of("10")).widgets(),
        "LoadImage's upload button is not a value");
    assertEquals(0.6, g.require(NodeId.of("3")).widgets().get("denoise"));
    assertFalse(g.require(NodeId.of("3")).widgets().containsKey("seed.after_run"), "randomize is the default");
    Node advanced = g.require(NodeId.of("13"));
    assertEquals(NodeMode.MUTED, advanced.mode());
    assertEquals(map("add_noise", false, "seed", 7L, "seed.after_run", "increment", "steps", 30L, "cfg", 6.5,
        "sampler_name", "heun", "scheduler", "karras", "start_at_step", 10L, "end_at_step", 30L,
        "return_with_leftover_noise", true), advanced.widgets(), "noise_seed is our seed; enable/disable are booleans");
    assertEquals("Note", g.require(NodeId.of("12")).type(), "a Markdown note is a note");
    assertTrue(links(g).containsAll(List.of("4.VAE -> reroute_1.input", "reroute_1.output -> reroute_2.input",
        "reroute_2.output -> 11.vae", "reroute_1.output -> 8.vae")), links(g).toString());
    assertEquals(13, g.links().size(), "9 plain links; the wire through both waypoints is 3 links, the one through "
        + "the shared waypoint adds 1 (the waypoint's own input is fed once)");
    assertEquals(new Vec2(760 - 24, 420 - 11), g.require(NodeId.of("reroute_1")).position());
    assertEquals("Input picture", g.groups().get(0).title());
  }

  @Test
  void inpaintVersion04WithLinkExtensionsRerouteNodeAndBypass() throws Exception {
    Imported im = ui("inpaint.ui.json");
    Graph g = im.workflow().graph();
    assertTrue(links(g).containsAll(List.of("10.MASK -> 14.input", "14.output -> 12.mask",
        "4.VAE -> reroute_1.input", "reroute_1.output -> 8.vae", "12.LATENT -> 15.samples",
        "15.LATENT -> 3.latent_image", "8.IMAGE -> 16.image")), links(g).toString());
    assertEquals(NodeMode.BYPASSED, g.require(NodeId.of("15")).mode());
    assertEquals("ImageBlur", g.require(NodeId.of("16")).type());
    assertEquals("increment", g.require(NodeId.of("3")).widgets().get("seed.after_run"));
    assertEquals(2, g.groups().size());
  }

  @Test
  void apiPromptsLoadWithTheirIdsAndALayout() throws Exception {
    Graph g = api("txt2img.api.json").workflow().graph();
    assertEquals(List.of("3", "4", "5", "6", "7", "8", "9"), g.nodes().keySet().stream().map(NodeId::value).toList());
    assertEquals("Positive prompt", g.require(NodeId.of("6")).title(), "a renamed node keeps its title");
    assertNull(g.require(NodeId.of("7")).title(), "the standard title is no title");
    assertEquals("leading", g.require(NodeId.of("3")).widgets().get("scheduler"));
    assertEquals(5.0, g.require(NodeId.of("3")).widgets().get("cfg"), "ComfyUI's 5 is our FLOAT 5.0");
    assertTrue(g.require(NodeId.of("3")).position().x() > g.require(NodeId.of("4")).position().x(),
        "the sampler sits right of the loader");
    assertEquals(Set.of("4.MODEL -> 3.model", "6.CONDITIONING -> 3.positive", "7.CONDITIONING -> 3.negative",
        "5.LATENT -> 3.latent_image", "4.CLIP -> 6.clip", "4.CLIP -> 7.clip", "3.LATENT -> 8.samples",
        "4.VAE -> 8.vae", "8.IMAGE -> 9.images"), links(g));
    Graph inpaint = api("inpaint.api.json").workflow().graph();
    assertTrue(links(inpaint).contains("10.MASK -> 12.mask"), "output slot 1 of LoadImage is its MASK");
  }

  @Test
  void unsupportedNodesBecomePlaceholdersWithTheirPortsAndAModelThatIsMissingIsANote() throws Exception {
    ModelNames onlyShapes = SHAPES_ONLY;
    Imported im = new ComfyWorkflowReader(CATALOG, onlyShapes).read(Resources.json("comfy/unsupported.ui.json"), "u");
    Graph g = im.workflow().graph();
    assertEquals("UpscaleModelLoader", g.require(NodeId.of("11")).type());
    assertTrue(links(g).containsAll(List.of("11.UPSCALE_MODEL -> 12.upscale_model", "8.IMAGE -> 12.image",
        "12.IMAGE -> 9.images")), links(g).toString());
    assertTrue(im.notes().isEmpty(), "shapes is there");

    var json = (com.fasterxml.jackson.databind.node.ObjectNode) Resources.json("comfy/txt2img.api.json");
    ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("4").get("inputs"))
        .put("ckpt_name", "v1-5-pruned-emaonly.safetensors");
    List<Problem> notes = new ComfyPromptReader(CATALOG, onlyShapes).read(json, "p").notes();
    assertEquals(1, notes.size(), notes.toString());
    assertEquals(Problem.Kind.MODEL, notes.get(0).kind());
    assertEquals(NodeId.of("4"), notes.get(0).node());
    assertTrue(notes.get(0).message().contains("v1-5-pruned-emaonly"), notes.get(0).message());
  }
}
