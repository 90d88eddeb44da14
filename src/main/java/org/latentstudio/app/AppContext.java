package org.latentstudio.app;

import org.latentstudio.exec.Executor;
import org.latentstudio.exec.NodeRegistry;
import org.latentstudio.exec.OutputCache;
import org.latentstudio.exec.Services;
import org.latentstudio.nodes.BuiltinNodes;

/** Wires the long-lived parts together once, for the CLI and the studio alike. */
public final class AppContext implements AutoCloseable {
  /** The default budget for cached node results; large enough for a few SD1.5 images and latents. */
  public static final long DEFAULT_CACHE_BYTES = 2L << 30;

  private final NodeRegistry registry;
  private final Executor executor;

  public AppContext() {
    this.registry = BuiltinNodes.registry();
    this.executor = new Executor(registry, new OutputCache(DEFAULT_CACHE_BYTES), new Services());
  }

  public NodeRegistry registry() {
    return registry;
  }

  public Executor executor() {
    return executor;
  }

  @Override
  public void close() {
    executor.close();
  }
}
