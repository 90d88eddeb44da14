package org.latentstudio.exec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one queue in front of the {@link Executor}: the studio and ComfyUI clients of {@code latentstudio serve}
 * both queue here, so their runs take turns on one executor and one cache, and each side can see the other's
 * runs (the studio lists clients' prompts in its Queue tab; {@code GET /queue} lists the studio's runs).
 */
public final class RunQueue {
  /** The origin of runs the studio queues. */
  public static final String STUDIO = "studio";

  /** Hears about every run queued, before it can start, and about every change of the queue. */
  public interface Observer {
    /** A run was queued; listeners added now see all its events. */
    default void queued(QueuedRun run) {}

    /** A run started or finished, or was queued. */
    default void changed() {}
  }

  private final Executor executor;
  private final AtomicLong numbers = new AtomicLong();
  private final Map<String, QueuedRun> active = new ConcurrentHashMap<>();
  private final List<Observer> observers = new CopyOnWriteArrayList<>();

  RunQueue(Executor executor) {
    this.executor = executor;
  }

  public void addObserver(Observer o) {
    observers.add(o);
  }

  public void removeObserver(Observer o) {
    observers.remove(o);
  }

  /**
   * Queues a run behind the others.
   *
   * @param id     a unique id for it, or null for a random one
   * @param origin {@link #STUDIO} or the client's id
   * @param tag    kept with the run for the submitter
   */
  public QueuedRun submit(RunRequest request, String origin, String id, Object tag, ExecutionListener listener) {
    String runId = id == null || id.isBlank() ? UUID.randomUUID().toString() : id;
    QueuedRun run = new QueuedRun(numbers.getAndIncrement(), runId, origin, request, tag, () -> changed(runId));
    run.addListener(listener);
    if (active.putIfAbsent(runId, run) != null) {
      throw new IllegalArgumentException("a run with the id " + runId + " is already queued");
    }
    for (Observer o : observers) {
      o.queued(run);
    }
    run.started(executor.submit(request, run.fanOut(), run.token()));
    notifyChanged();
    return run;
  }

  private void changed(String runId) {
    QueuedRun r = active.get(runId);
    if (r != null && r.state() == QueuedRun.State.FINISHED) {
      active.remove(runId);
    }
    notifyChanged();
  }

  private void notifyChanged() {
    for (Observer o : observers) {
      o.changed();
    }
  }

  /** Pending and running runs, in queue order. */
  public List<QueuedRun> active() {
    List<QueuedRun> list = new ArrayList<>(active.values());
    list.sort(Comparator.comparingLong(QueuedRun::number));
    return list;
  }

  /** How many runs are pending or running. */
  public int remaining() {
    return active.size();
  }

  /** Cancels every run not yet started. */
  public void clearPending() {
    for (QueuedRun r : active()) {
      if (r.state() == QueuedRun.State.PENDING) {
        r.cancel();
      }
    }
  }
}
