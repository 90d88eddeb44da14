package org.latentstudio.exec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Long-lived collaborators that nodes reach through their {@link ExecContext}: the model manager, the ONNX
 * runtime. Wired once by the application; nodes never create them.
 */
public final class Services {
  private final Map<Class<?>, Object> byType = new ConcurrentHashMap<>();

  public <T> Services with(Class<T> type, T instance) {
    byType.put(type, instance);
    return this;
  }

  public <T> T require(Class<T> type) {
    Object o = byType.get(type);
    if (o == null) {
      throw new IllegalStateException("no " + type.getSimpleName() + " is configured for this executor");
    }
    return type.cast(o);
  }
}
