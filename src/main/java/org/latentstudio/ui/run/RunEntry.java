package org.latentstudio.ui.run;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.latentstudio.exec.RunHandle;

/** One run in the queue panel: pending, running or finished, with a one-line summary. FX thread only. */
public final class RunEntry {
  public enum Status { PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, INVALID }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private int number;
  private final String name;
  private final boolean fromClient;
  private final String queuedAt = LocalTime.now().format(TIME);
  private final ObjectProperty<Status> status = new SimpleObjectProperty<>(Status.PENDING);
  private final StringProperty detail = new SimpleStringProperty("waiting");
  private RunHandle handle;

  RunEntry(int number, String name) {
    this(number, name, false);
  }

  RunEntry(int number, String name, boolean fromClient) {
    this.number = number;
    this.name = name;
    this.fromClient = fromClient;
  }

  /** Whether a ComfyUI client queued it through the server, rather than this window. */
  public boolean fromClient() {
    return fromClient;
  }

  void setNumber(int n) {
    number = n;
  }

  public int number() {
    return number;
  }

  public String name() {
    return name;
  }

  public String queuedAt() {
    return queuedAt;
  }

  public ObjectProperty<Status> statusProperty() {
    return status;
  }

  public Status status() {
    return status.get();
  }

  public StringProperty detailProperty() {
    return detail;
  }

  public String detail() {
    return detail.get();
  }

  public boolean isFinished() {
    Status s = status.get();
    return s != Status.PENDING && s != Status.RUNNING;
  }

  RunHandle handle() {
    return handle;
  }

  void setHandle(RunHandle handle) {
    this.handle = handle;
  }

  public void cancel() {
    if (handle != null && !isFinished()) {
      handle.cancel();
      if (status.get() == Status.PENDING) {
        detail.set("cancelling\u2026");
      }
    }
  }

  @Override
  public String toString() {
    return "#" + number + " " + name + " " + status.get() + " " + detail.get();
  }
}
