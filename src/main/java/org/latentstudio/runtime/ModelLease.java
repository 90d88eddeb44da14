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

  /**
   * A value computed from this model once and kept with its session (the empty prompt's hidden state): the same
   * {@code name} on a later lease of the same session gives the same value without computing it again.
   */
  <T> T derived(String name, Class<T> type, SessionCache.Derivation<T> make) throws ModelException {
    return lease.derived(name, type, make);
  }

  @Override
  public void close() {
    lease.close();
  }
}
