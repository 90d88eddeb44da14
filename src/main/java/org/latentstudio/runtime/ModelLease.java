package org.latentstudio.runtime;

/**
 * A loaded model in use. While a lease is open the model stays loaded; close it (try-with-resources) when the
 * call is done so the runtime may unload the model under memory pressure.
 */
public final class ModelLease implements AutoCloseable {
  private final SessionCache.Lease lease;

  ModelLease(SessionCache.Lease lease) {
    this.lease = lease;
  }

  public OnnxModel model() {
    return lease.model();
  }

  @Override
  public void close() {
    lease.close();
  }
}
