package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.geometry.Point2D;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.latentstudio.app.AppContext;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.ui.canvas.NodeView;
import org.latentstudio.ui.models.LibraryModelCatalog;

/**
 * A LoRA dragged from the models panel onto a wire between a checkpoint and its users goes in between, for the
 * model and the text encoder at once, in one undo step; dropped anywhere else it is a loader on its own. Runs the
 * real node catalog on the shipped txt2img graph.
 */
class LoraDropTest extends StudioTestBase {
  private AppContext context;

  @Override
  protected StudioConfig config() {
    context = new AppContext();
    executor.close();
    executor = context.executor();
    return new StudioConfig(context.registry(), context.executor(), tmp.resolve("user"), tmp.resolve("output"),
        null, new LibraryModelCatalog(context.models()), w -> dialogs, desktop, 1, 0, false);
  }

  @AfterEach
  void closeContext() {
    if (context != null) {
      context.close();
    }
  }

  /** The middle of a wire in canvas units (the wire is symmetric, so its middle is between its ends). */
  private Point2D middle(String from, String out, String to, String in) {
    return fx(() -> {
      NodeView a = canvas().view(id(from));
      NodeView b = canvas().view(id(to));
      return a.portPosition(out, false).midpoint(b.portPosition(in, true));
    });
  }

  private static Set<String> links(Graph g) {
    return g.links().stream().map(l -> l.from() + ">" + l.to()).collect(Collectors.toSet());
  }

  @Test
  void aLoraDroppedOnTheModelWireGoesBetweenTheCheckpointAndItsUsers() throws Exception {
    Graph before = new WorkflowCodec().read(Path.of("graphs", "txt2img.json")).graph();
    load(before);
    Point2D at = middle("checkpoint", "MODEL", "sampler", "model");
    Node lora = fx(() -> canvas().dropModel("lora", "ink.safetensors", at)).orElseThrow();
    assertEquals("LoraLoader", lora.type());
    assertEquals("ink.safetensors", graph().require(lora.id()).widgets().get("lora_name"));
    String l = lora.id().value();
    Set<String> links = links(graph());
    for (String expected : Set.of("checkpoint.MODEL>" + l + ".model", "checkpoint.CLIP>" + l + ".clip",
        l + ".MODEL>sampler.model", l + ".CLIP>positive.clip", l + ".CLIP>negative.clip", "checkpoint.VAE>decode.vae")) {
      assertTrue(links.contains(expected), expected + " in " + links);
    }
    assertEquals(before.links().size() + 2, graph().links().size());
    assertTrue(fx(() -> studio.document().canUndoProperty().get()));
    fx(() -> studio.document().undo());
    assertEquals(links(before), links(graph()), "one undo step takes it all back");
    assertEquals(before.nodes().size(), graph().nodes().size());
  }

  @Test
  void onTheClipWireTooAndElsewhereItIsALoaderOnItsOwn() throws Exception {
    Graph before = new WorkflowCodec().read(Path.of("graphs", "txt2img.json")).graph();
    load(before);
    Node onClip = fx(() -> canvas().dropModel("lora", "ink.safetensors",
        middle("checkpoint", "CLIP", "negative", "clip"))).orElseThrow();
    assertTrue(links(graph()).contains(onClip.id().value() + ".MODEL>sampler.model"), "the model goes through it too");
    int links = graph().links().size();
    Node alone = fx(() -> canvas().dropModel("lora", "other.safetensors",
        middle("checkpoint", "VAE", "decode", "vae"))).orElseThrow();
    assertEquals(links, graph().links().size(), "a VAE wire is no place for a LoRA: nothing is rewired");
    assertEquals("other.safetensors", alone.widgets().get("lora_name"));
    assertTrue(graph().linksInto(alone.id()).isEmpty());
    Link vae = graph().links().stream().filter(k -> k.to().port().equals("vae")).findFirst().orElseThrow();
    assertEquals("checkpoint", vae.from().node().value());
  }
}
