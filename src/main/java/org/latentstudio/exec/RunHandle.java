package org.latentstudio.exec;

import java.util.concurrent.CompletableFuture;

/** A run in progress on the executor's thread: cancel it, or wait for its result. */
public record RunHandle(CompletableFuture<RunResult> result, CancellationToken token) {
  public void cancel() {
    token.cancel();
  }
}
