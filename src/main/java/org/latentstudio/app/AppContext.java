package org.latentstudio.app;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.latentstudio.exec.Executor;
import org.latentstudio.exec.NativeThreads;
import org.latentstudio.exec.NodeRegistry;
import org.latentstudio.exec.OutputCache;
import org.latentstudio.exec.Services;
import org.latentstudio.graph.Graph;
import org.latentstudio.image.InputPaths;
import org.latentstudio.nodes.BuiltinNodes;
import org.latentstudio.nodes.image.FileNumbers;
import org.latentstudio.nodes.loaders.CheckpointCache;
import org.latentstudio.nodes.loaders.SessionPrefetch;
import org.latentstudio.runtime.GraphCache;
import org.latentstudio.runtime.ModelLibrary;
import org.latentstudio.runtime.OptimizedModels;
import org.latentstudio.runtime.OrtRuntime;

/**
 * Wires the long-lived parts together once, for the CLI and the studio alike. ONNX Runtime starts on first
 * use, so commands that run no model (listing nodes, validating) stay quick.
 */
public final class AppContext implements AutoCloseable {
  private final NodeRegistry registry;
  private final Services services = new Services();
  private final Executor executor;
  private final ModelLibrary models;
  private final Settings settings;

  /** With the user's settings file and the system properties that override it. */
  public AppContext() throws InvalidSettingException {
    this(loadSettings(), System.err::println);
  }

  /**
   * @param notices where one-line notices go, such as which execution provider ONNX Runtime uses and why
   */
  public AppContext(Settings settings, Consumer<String> notices) {
    this.settings = settings;
    this.registry = BuiltinNodes.registry();
    this.models = ModelLibrary.defaults(settings.modelFolders(), AppPaths.userDir(), AppPaths.home());
    services.with(ModelLibrary.class, models)
        .with(CheckpointCache.class, new CheckpointCache())
        .with(GraphCache.class, new GraphCache(AppPaths.cacheDir().resolve("graphs")))
        .with(FileNumbers.class, new FileNumbers())
        .with(InputPaths.class, new InputPaths(List.of(Path.of("").toAbsolutePath(), AppPaths.home(),
            AppPaths.userDir().resolve("input"))))
        .withLazy(OrtRuntime.class, () -> {
          StartupClock.mark("ONNX Runtime starting");
          OrtRuntime runtime = new OrtRuntime(settings.runtime(System.getProperties()));
          String loraCache = System.getProperty("latentstudio.lora.cache");
          if (loraCache != null) {
            runtime.setLoraCacheBudget(Sizes.parse("latentstudio.lora.cache", loraCache));
          }
          runtime.keepOptimized(savedModels(settings));
          StartupClock.mark("ONNX Runtime ready");
          notices.accept(runtime.provider().describe());
          return runtime;
        });
    this.executor = new Executor(registry, new OutputCache(settings.outputCacheBytes()), services);
  }

  /** The settings file in the user's folder, overridden by system properties; a bad value names its field. */
  public static Settings loadSettings() throws InvalidSettingException {
    return SettingsFile.inUserDir().read().withOverrides(System.getProperties());
  }

  /** Where and how much of the full-size models ONNX Runtime optimised are kept on disk (settings: savedModels). */
  public static OptimizedModels savedModels(Settings settings) {
    return OptimizedModels.ofLargeModels(AppPaths.cacheDir().resolve("sessions"), settings.savedModelsBytes());
  }

  public Settings settings() {
    return settings;
  }

  public NodeRegistry registry() {
    return registry;
  }

  public Executor executor() {
    return executor;
  }

  public ModelLibrary models() {
    return models;
  }

  private final java.util.concurrent.atomic.AtomicBoolean runtimeStarting =
      new java.util.concurrent.atomic.AtomicBoolean();

  public Services services() {
    return services;
  }

  public OrtRuntime runtime() {
    return services.require(OrtRuntime.class);
  }

  /**
   * Starts ONNX Runtime (its native library, the environment, the execution provider) on a background thread,
   * so that it overlaps reading and checking the workflow or opening the window. A failure there is left for
   * the first real use to report.
   */
  public void startRuntimeEarly() {
    if (runtimeStarting.getAndSet(true)) {
      return;
    }
    NativeThreads.daemon("latentstudio-ort-start", () -> {
      try {
        runtime();
      } catch (RuntimeException | LinkageError e) {
        // the node that needs the runtime reports it, with its own context
      }
    }).start();
  }

  /**
   * Starts making the sessions the graph's first run will need, in the background ({@link SessionPrefetch}),
   * unless they were asked for already: the studio calls this at every change of its graph, and only a change of
   * what the graph samples with (another file, checkpoint or size) starts anything.
   *
   * @return whether a prefetch started
   */
  public synchronized boolean prefetchSessions(Graph graph) {
    List<SessionPrefetch.Target> targets = SessionPrefetch.targets(graph);
    if (targets.isEmpty() || targets.equals(lastPrefetched)) {
      return false;
    }
    SessionPrefetch p = SessionPrefetch.start(targets, services);
    if (p == null) {
      return false;
    }
    lastPrefetched = targets;
    prefetches.removeIf(SessionPrefetch::isDone);
    prefetches.add(p);
    return true;
  }

  private final List<SessionPrefetch> prefetches = new java.util.concurrent.CopyOnWriteArrayList<>();
  private List<SessionPrefetch.Target> lastPrefetched = List.of();

  @Override
  public void close() {
    executor.close();
    prefetches.forEach(SessionPrefetch::stopAndWait);
    if (services.isStarted(OrtRuntime.class)) {
      services.require(OrtRuntime.class).close();
    }
  }
}
