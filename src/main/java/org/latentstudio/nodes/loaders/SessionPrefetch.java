package org.latentstudio.nodes.loaders;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.latentstudio.exec.NativeThreads;
import org.latentstudio.exec.Services;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.PortRef;
import org.latentstudio.runtime.ModelException;
import org.latentstudio.runtime.ModelSource;
import org.latentstudio.runtime.OrtRuntime;
import org.latentstudio.runtime.SdModel;
import org.latentstudio.runtime.TextEncoder;
import org.latentstudio.runtime.UNet;
import org.latentstudio.runtime.VaeDecoder;
import org.latentstudio.text.ClipTokenizer;
import org.latentstudio.text.TokenizerFormatException;

/**
 * Makes the ONNX Runtime sessions a workflow's first run will need while that run is still getting ready (the
 * command line reading the rest, the studio opening its window) or busy with something else (the text encoder
 * running while the UNet's session is made on the other core). For each sampler fed straight by a checkpoint
 * loader and an empty latent, it opens the checkpoint as the loader node would and makes the UNet's session for
 * the sampler's calls, then the VAE decoder's and the text encoder's for a prompt of one chunk. The run finds
 * them in the session cache; a guess that turns out wrong (a prompt longer than one chunk) only costs a
 * session the run does not use. Failures are left for the run to report.
 */
public final class SessionPrefetch {
  private static final List<String> SAMPLERS = List.of("KSampler", "KSamplerAdvanced");
  private final Thread thread;
  private volatile boolean stopped;

  private SessionPrefetch(List<Target> targets, Services services) {
    thread = NativeThreads.daemon("latentstudio-prefetch", () -> {
      for (Target target : targets) {
        try {
          make(target, services);
        } catch (ModelException | TokenizerFormatException | RuntimeException e) {
          // the run reports what is wrong with the checkpoint, with the node that loads it
        }
      }
    });
  }

  /**
   * Starts making the sessions of {@code targets} ({@link #targets}) on a background thread, or returns null when
   * there are none or {@code -Dlatentstudio.prefetch=false}.
   */
  public static SessionPrefetch start(List<Target> targets, Services services) {
    if (targets.isEmpty() || "false".equals(System.getProperty("latentstudio.prefetch"))) {
      return null;
    }
    SessionPrefetch p = new SessionPrefetch(targets, services);
    p.thread.start();
    return p;
  }

  /** Whether it has made (or given up on) all its sessions. */
  public boolean isDone() {
    return !thread.isAlive();
  }

  /** Waits until every session is made; a run need not wait, as it shares the loads under way. */
  public void await() throws InterruptedException {
    thread.join();
  }

  /**
   * Makes no further session and waits for the one being made: the process must not exit, nor the runtime
   * close, while a thread is inside ONNX Runtime (its global destructors crash the JVM, see CtrlC).
   */
  public void stopAndWait() {
    stopped = true;
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** A sampler's checkpoint and the dimensions of its UNet calls. */
  public record Target(String path, String config, int batch, int width, int height, boolean guided) {}

  /** What a prefetch of {@code graph} would make sessions for: empty when nothing. */
  public static List<Target> targets(Graph graph) {
    List<Target> out = new ArrayList<>();
    for (Node sampler : graph.nodeList()) {
      if (!SAMPLERS.contains(sampler.type()) || sampler.mode() != NodeMode.NORMAL) {
        continue;
      }
      Optional<Node> checkpoint = source(graph, sampler, "model", "CheckpointLoader");
      Optional<Node> latent = source(graph, sampler, "latent_image", "EmptyLatentImage");
      if (checkpoint.isEmpty() || latent.isEmpty()) {
        continue;
      }
      Map<String, Object> c = checkpoint.get().widgets();
      Map<String, Object> l = latent.get().widgets();
      Target t = new Target(String.valueOf(c.getOrDefault("path", "")), String.valueOf(c.getOrDefault("config", "")),
          number(l, "batch_size", 1), number(l, "width", 512), number(l, "height", 512),
          !(sampler.widgets().get("cfg") instanceof Number cfg) || cfg.doubleValue() > 1);
      if (!t.path().isBlank() && !out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }

  private static Optional<Node> source(Graph graph, Node node, String input, String type) {
    return graph.linkInto(new PortRef(node.id(), input)).flatMap(link -> graph.node(link.from().node()))
        .filter(n -> n.type().equals(type) && n.mode() == NodeMode.NORMAL);
  }

  private static int number(Map<String, Object> widgets, String name, int orElse) {
    return widgets.get(name) instanceof Number n ? n.intValue() : orElse;
  }

  private void make(Target t, Services services) throws ModelException, TokenizerFormatException {
    if (stopped) {
      return;
    }
    SdModel model = CheckpointLoader.open(t.path(), t.config(), services).model();
    OrtRuntime runtime = services.require(OrtRuntime.class);
    int down = model.vaeDownscale();
    int h = t.height() / down;
    int w = t.width() / down;
    // the order of need, UNet first: the run itself is soon busy with the text encoder
    open(runtime, model.unet(), UNet.callDims(t.batch() * (t.guided() ? 2 : 1), h, w, ClipTokenizer.CHUNK_LENGTH));
    open(runtime, model.vaeDecoder(), VaeDecoder.callDims(1, h, w));
    // a prompt of one chunk, and the empty prompt (CLIPTextEncode)
    open(runtime, model.textEncoder(), TextEncoder.callDims(1, ClipTokenizer.CHUNK_LENGTH));
  }

  private void open(OrtRuntime runtime, ModelSource source, Map<String, Long> dims) throws ModelException {
    if (!stopped) {
      runtime.open(runtime.fixingDims(source, dims)).close();
    }
  }
}
