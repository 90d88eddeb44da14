package org.latentstudio.ui.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.io.WorkflowFormatException;

/**
 * Crash recovery. While the studio runs, the open workflow is written every so often to
 * {@code recovery/session-<pid>.json} in the user folder (atomically, so a kill during the write leaves the
 * previous copy), with the file it belongs to. A clean exit removes it. A recovery file whose process is gone
 * is what a crash or a kill left behind; the next start offers to restore it.
 */
public final class Recovery {
  /** A recovery file left by a studio that is no longer running. */
  public record Found(Path recoveryFile, Workflow workflow, Path originalFile, Instant savedAt) {}

  private static final String KEY = "recovery";
  private final Path dir;
  private final long pid;
  private final WorkflowCodec codec = new WorkflowCodec();

  public Recovery(Path userDir) {
    this(userDir.resolve("recovery"), ProcessHandle.current().pid());
  }

  Recovery(Path dir, long pid) {
    this.dir = dir;
    this.pid = pid;
  }

  public Path file() {
    return dir.resolve("session-" + pid + ".json");
  }

  /** Writes the recovery copy of the open workflow. */
  public void save(Workflow workflow, Path originalFile) throws IOException {
    ObjectNode extra = workflow.extra();
    ObjectNode meta = extra.putObject(KEY);
    meta.put("file", originalFile == null ? "" : originalFile.toString());
    meta.put("saved_at", Instant.now().toString());
    codec.save(new Workflow(workflow.graph(), extra), file());
  }

  /** Removes this session's recovery copy: the work is saved or deliberately dropped. */
  public void discard() {
    try {
      Files.deleteIfExists(file());
    } catch (IOException e) {
      // left behind, it will be offered once more; harmless
    }
  }

  /** Recovery files of sessions that are no longer running, newest first. */
  public List<Found> orphans() {
    List<Found> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "session-*.json")) {
      for (Path p : ds) {
        long owner = ownerPid(p);
        if (owner == pid || (owner > 0 && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false))) {
          continue;
        }
        read(p).ifPresent(out::add);
      }
    } catch (IOException e) {
      return out;
    }
    out.sort(Comparator.comparing(Found::savedAt).reversed());
    return out;
  }

  /** Deletes a recovery file once it has been restored or declined. */
  public void remove(Found found) {
    try {
      Files.deleteIfExists(found.recoveryFile());
    } catch (IOException e) {
      // see discard()
    }
  }

  private static long ownerPid(Path p) {
    String name = p.getFileName().toString();
    try {
      return Long.parseLong(name.substring("session-".length(), name.length() - ".json".length()));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return -1;
    }
  }

  private Optional<Found> read(Path p) {
    try {
      Workflow wf = codec.read(p);
      ObjectNode extra = wf.extra();
      JsonNode meta = extra.remove(KEY);
      String file = meta == null ? "" : meta.path("file").asText("");
      Instant at;
      try {
        at = meta == null ? Files.getLastModifiedTime(p).toInstant() : Instant.parse(meta.path("saved_at").asText());
      } catch (RuntimeException e) {
        at = Files.getLastModifiedTime(p).toInstant();
      }
      return Optional.of(new Found(p, new Workflow(wf.graph(), extra), file.isEmpty() ? null : Path.of(file), at));
    } catch (WorkflowFormatException | IOException e) {
      return Optional.empty();
    }
  }
}
