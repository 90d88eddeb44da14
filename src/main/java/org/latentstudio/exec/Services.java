package org.latentstudio.exec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Long-lived collaborators that nodes reach through their {@link ExecContext}: the model manager, the ONNX
 * runtime. Wired once by the application; nodes never create them.
 */
public final class Services {
  private final Map<Class<?>, Supplier<?>> byType = new ConcurrentHashMap<>();

  public <T> Services with(Class<T> type, T instance) {
    byType.put(type, () -> instance);
    return this;
  }

  /** Registers a service created on first use, for costly ones (loading ONNX Runtime's native library). */
  public <T> Services withLazy(Class<T> type, Supplier<T> factory) {
    byType.put(type, new Memo<>(factory));
    return this;
  }

  public <T> T require(Class<T> type) {
    Supplier<?> s = byType.get(type);
    if (s == null) {
      throw new IllegalStateException("no " + type.getSimpleName() + " is configured for this executor");
    }
    return type.cast(s.get());
  }

  /** Whether a lazy service was created already, so closing the app does not create it just to close it. */
  public boolean isStarted(Class<?> type) {
    Supplier<?> s = byType.get(type);
    return s != null && (!(s instanceof Memo<?> m) || m.started());
  }

  private static final class Memo<T> implements Supplier<T> {
    private final Supplier<T> factory;
    private volatile T value;

    Memo(Supplier<T> factory) {
      this.factory = factory;
    }

    @Override
    public T get() {
      T v = value;
      if (v == null) {
        synchronized (this) {
          if (value == null) {
            value = factory.get();
          }
          v = value;
        }
      }
      return v;
    }

    boolean started() {
      return value != null;
    }
  }
}
