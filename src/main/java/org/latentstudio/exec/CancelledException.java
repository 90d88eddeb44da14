package org.latentstudio.exec;

/** Unwinds a run after the user cancelled it. Unchecked so that deep loops can throw it via {@code checkCancelled}. */
public final class CancelledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CancelledException() {
    super("the run was cancelled");
  }
}
