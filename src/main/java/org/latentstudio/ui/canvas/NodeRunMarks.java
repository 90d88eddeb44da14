package org.latentstudio.ui.canvas;

import java.util.List;
import javafx.collections.ObservableList;
import javafx.geometry.VPos;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;

/**
 * What a run shows on a node: a badge in the title bar (waiting, step n of m, cached, the time it took, error),
 * a progress bar under the title, and the error message in a red box below the widgets. The parts are made the
 * first time a run touches the node, so nodes that never ran carry none; reroute dots show none.
 */
final class NodeRunMarks {
  private final ObservableList<javafx.scene.Node> children;
  private final boolean reroute;
  private NodeRunState state = NodeRunState.IDLE;
  private Text badge;
  private Region progress;
  private Text errorText;
  private Region errorBox;

  /** @param children the node view's children: the badge and bar go after the title, the error at the end */
  NodeRunMarks(ObservableList<javafx.scene.Node> children, boolean reroute) {
    this.children = children;
    this.reroute = reroute;
  }

  NodeRunState state() {
    return state;
  }

  /** Shows a new state; false when the node has nothing to show it with (a reroute). */
  boolean show(NodeRunState s) {
    state = s;
    ensureBadge();
    if (badge == null) {
      return false;
    }
    progress.setVisible(s.phase() == NodeRunState.Phase.RUNNING);
    badge.setText(switch (s.phase()) {
      case IDLE -> "";
      case WAITING -> "\u2026";
      case RUNNING -> s.total() > 0 ? s.step() + "/" + s.total() : "running";
      case CACHED -> "\u26a1 cached";
      case DONE -> s.message();
      case FAILED -> "\u2716 error";
    });
    if (s.phase() == NodeRunState.Phase.FAILED) {
      showError(s.message());
    } else {
      showError(null);
    }
    return true;
  }

  private void ensureBadge() {
    if (badge == null && !reroute) {
      badge = new Text();
      badge.getStyleClass().add("node-badge");
      badge.setTextOrigin(VPos.CENTER);
      badge.setManaged(false);
      badge.setMouseTransparent(true);
      progress = new Region();
      progress.getStyleClass().add("node-progress");
      progress.setManaged(false);
      progress.setMouseTransparent(true);
      progress.setVisible(false);
      children.addAll(1, List.of(badge, progress));
    }
  }

  private void showError(String message) {
    if (message == null || message.isBlank()) {
      if (errorText != null) {
        errorText.setVisible(false);
        errorBox.setVisible(false);
      }
      return;
    }
    if (errorText == null) {
      errorBox = new Region();
      errorBox.getStyleClass().add("node-error-box");
      errorBox.setManaged(false);
      errorText = new Text();
      errorText.getStyleClass().add("node-error");
      errorText.setTextOrigin(VPos.TOP);
      errorText.setManaged(false);
      children.addAll(errorBox, errorText);
    }
    errorText.setText(message);
    errorText.setVisible(true);
    errorBox.setVisible(true);
  }

  /** How many of the node view's children the marks put in the title bar, right after the title. */
  int titleBarParts() {
    return (badge != null ? 1 : 0) + (progress != null ? 1 : 0);
  }

  String badgeText() {
    return badge == null ? "" : badge.getText();
  }

  String errorMessage() {
    return errorText == null || !errorText.isVisible() ? null : errorText.getText();
  }

  /** Places the badge at the right of a title bar {@code w} wide and the progress bar under it; the badge's width. */
  double layoutTitleBar(double w) {
    double bw = badge == null ? 0 : badge.getLayoutBounds().getWidth();
    if (badge != null) {
      badge.setLayoutX(w - 10 - bw);
      badge.setLayoutY(NodeLayout.TITLE_H / 2);
    }
    if (progress != null) {
      progress.resizeRelocate(0, NodeLayout.TITLE_H - 3, w * state.fraction(), 3);
    }
    return bw;
  }

  /** The room the error box takes below the content, with its margin; 0 when there is no error. */
  double errorHeight(double w) {
    if (errorText != null && errorText.isVisible()) {
      errorText.setWrappingWidth(w - 2 * NodeLayout.PAD - 8);
      return errorText.getLayoutBounds().getHeight() + 8 + NodeLayout.PAD;
    }
    return 0;
  }

  /** Places the error box at {@code y}; returns where the content below it starts. */
  double layoutError(double w, double y) {
    if (errorText != null && errorText.isVisible()) {
      errorText.setWrappingWidth(w - 2 * NodeLayout.PAD - 8);
      double eh = errorText.getLayoutBounds().getHeight() + 8;
      errorBox.resizeRelocate(NodeLayout.PAD, y, w - 2 * NodeLayout.PAD, eh);
      errorText.relocate(NodeLayout.PAD + 4, y + 4);
      y += eh + NodeLayout.PAD;
    }
    return y;
  }
}
