package org.latentstudio.exec;

import org.latentstudio.graph.NodeId;
import org.latentstudio.image.RgbImage;

/** What a running node may use: progress, previews, cancellation and the shared services. */
public interface ExecContext {
  NodeId nodeId();

  /** Throws {@link CancelledException} once the run has been cancelled. Call it inside long loops. */
  void checkCancelled();

  /** Reports progress through a loop of {@code total} steps; also checks for cancellation. */
  void progress(int done, int total);

  void preview(RgbImage image);

  /**
   * Tells the user of something that did not stop the node but may not be what they meant (a LoRA that matched
   * only part of the model): the terminal prints it, the studio lists it under Problems.
   */
  default void warn(String message) {}

  <T> T service(Class<T> type);

  /**
   * What {@link NodeType#fingerprint} gave for this node when the run began (its files' sizes and dates), so a
   * node need not stamp its files a second time; empty if the type adds none.
   */
  String fingerprint();

  RunSettings settings();

  /** The workflow being run, as JSON, for embedding in saved pictures. */
  String workflowJson();

  /** More text chunks for saved pictures, by keyword: ComfyUI's "prompt" and "workflow". */
  default java.util.Map<String, String> pictureText() {
    return java.util.Map.of();
  }
}
