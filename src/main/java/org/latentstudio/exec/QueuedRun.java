package org.latentstudio.exec;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.latentstudio.graph.NodeId;
import org.latentstudio.image.RgbImage;

/**
 * One run in the {@link RunQueue}: who asked for it, its place in the queue, where it stands, and every listener
 * that follows it. Listeners added before it starts (which the queue's observers do) see all of its events.
 */
public final class QueuedRun {
  public enum State { PENDING, RUNNING, FINISHED }

  private final long number;
  private final String id;
  private final String origin;
  private final RunRequest request;
  private final Object tag;
  private final List<ExecutionListener> listeners = new CopyOnWriteArrayList<>();
  private final Runnable onChange;
  private final CancellationToken token = new CancellationToken();
  private final CompletableFuture<RunResult> result = new CompletableFuture<>();
  private volatile State state = State.PENDING;

  QueuedRun(long number, String id, String origin, RunRequest request, Object tag, Runnable onChange) {
    this.number = number;
    this.id = id;
    this.origin = origin;
    this.request = request;
    this.tag = tag;
    this.onChange = onChange;
  }

  public long number() {
    return number;
  }

  /** A unique id: the prompt_id a ComfyUI client gave, else a random UUID. */
  public String id() {
    return id;
  }

  /** Who queued it: {@link RunQueue#STUDIO}, or a ComfyUI client's id. */
  public String origin() {
    return origin;
  }

  public RunRequest request() {
    return request;
  }

  /** What the submitter attached (the server keeps the ComfyUI prompt here). */
  public Object tag() {
    return tag;
  }

  public State state() {
    return state;
  }

  public CompletableFuture<RunResult> result() {
    return result;
  }

  public void addListener(ExecutionListener l) {
    listeners.add(l);
  }

  /** Stops it: at once while pending, within a step while running. */
  public void cancel() {
    token.cancel();
  }

  /** The run as a handle: its result and its cancellation. */
  public RunHandle handle() {
    return new RunHandle(result, token);
  }

  public boolean isCancelled() {
    return token.isCancelled();
  }

  CancellationToken token() {
    return token;
  }

  void started(RunHandle h) {
    h.result().whenComplete((r, e) -> {
      if (e != null) {
        state = State.FINISHED; // the executor failed outside any node; the queue must not keep it forever
        onChange.run();
        result.completeExceptionally(e);
      } else {
        result.complete(r);
      }
    });
  }

  /** The listener the executor calls: it tracks the state and hands every event to the listeners. */
  ExecutionListener fanOut() {
    return new ExecutionListener() {
      @Override
      public void runStarted(int planned, int toRun) {
        state = State.RUNNING;
        onChange.run();
        listeners.forEach(l -> l.runStarted(planned, toRun));
      }

      @Override
      public void nodeStarted(NodeId node, String type) {
        listeners.forEach(l -> l.nodeStarted(node, type));
      }

      @Override
      public void nodeCached(NodeId node, String type) {
        listeners.forEach(l -> l.nodeCached(node, type));
      }

      @Override
      public void progress(NodeId node, int step, int total) {
        listeners.forEach(l -> l.progress(node, step, total));
      }

      @Override
      public void preview(NodeId node, RgbImage image) {
        listeners.forEach(l -> l.preview(node, image));
      }

      @Override
      public void nodeFinished(NodeId node, String type, Outputs outputs, long nanos) {
        listeners.forEach(l -> l.nodeFinished(node, type, outputs, nanos));
      }

      @Override
      public void nodeFailed(NodeExecutionException error) {
        listeners.forEach(l -> l.nodeFailed(error));
      }

      @Override
      public void runFinished(RunResult result) {
        state = State.FINISHED;
        onChange.run();
        listeners.forEach(l -> l.runFinished(result));
      }
    };
  }

  @Override
  public String toString() {
    return "#" + number + " " + id + " from " + origin + " " + state;
  }
}
