package org.latentstudio.exec;

/** A flag the UI sets and long loops poll. */
public final class CancellationToken {
  private volatile boolean cancelled;

  public void cancel() {
    cancelled = true;
  }

  public boolean isCancelled() {
    return cancelled;
  }

  public void throwIfCancelled() {
    if (cancelled) {
      throw new CancelledException();
    }
  }
}
