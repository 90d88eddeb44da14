package org.latentstudio.ui.panels;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.latentstudio.ui.run.RunController;
import org.latentstudio.ui.run.RunEntry;

/** Pending, running and finished runs, newest last; cancel one or clear the finished ones. */
public final class QueuePanel extends VBox {
  private final ListView<RunEntry> list = new ListView<>();

  public QueuePanel(RunController runs) {
    getStyleClass().add("side-panel");
    setSpacing(6);
    setPadding(new Insets(6));
    list.setId("queue-list");
    list.setItems(runs.entries());
    list.setCellFactory(v -> new EntryCell());
    Label none = new Label("Nothing queued. Ctrl+Enter runs the graph.");
    none.setWrapText(true);
    none.getStyleClass().add("muted");
    list.setPlaceholder(none);
    VBox.setVgrow(list, Priority.ALWAYS);
    Button cancel = new Button("Cancel");
    cancel.setId("queue-cancel");
    cancel.setOnAction(e -> {
      RunEntry sel = list.getSelectionModel().getSelectedItem();
      if (sel != null) {
        sel.cancel();
      } else {
        runs.cancelCurrent();
      }
    });
    Button clear = new Button("Clear finished");
    clear.setOnAction(e -> runs.clearFinished());
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    HBox bar = new HBox(6, spacer, cancel, clear);
    bar.setAlignment(Pos.CENTER_LEFT);
    getChildren().addAll(bar, list);
    runs.entries().addListener((javafx.collections.ListChangeListener<RunEntry>) c -> {
      if (!runs.entries().isEmpty()) {
        list.scrollTo(runs.entries().size() - 1);
      }
    });
  }

  public ListView<RunEntry> list() {
    return list;
  }

  private static final class EntryCell extends ListCell<RunEntry> {
    private final Label status = new Label();
    private final Label name = new Label();
    private final Label detail = new Label();
    private final VBox box;
    private RunEntry bound;
    private final javafx.beans.InvalidationListener refresh = o -> show();

    EntryCell() {
      detail.getStyleClass().add("muted");
      detail.setWrapText(true);
      detail.setMaxWidth(260);
      HBox top = new HBox(6, status, name);
      top.setAlignment(Pos.CENTER_LEFT);
      box = new VBox(2, top, detail);
    }

    @Override
    protected void updateItem(RunEntry item, boolean empty) {
      super.updateItem(item, empty);
      if (bound != null) {
        bound.statusProperty().removeListener(refresh);
        bound.detailProperty().removeListener(refresh);
      }
      bound = empty ? null : item;
      if (bound != null) {
        bound.statusProperty().addListener(refresh);
        bound.detailProperty().addListener(refresh);
      }
      show();
    }

    private void show() {
      if (bound == null) {
        setGraphic(null);
        setText(null);
        return;
      }
      status.setText(switch (bound.status()) {
        case PENDING -> "\u23f3";
        case RUNNING -> "\u25b6";
        case SUCCEEDED -> "\u2714";
        case FAILED, INVALID -> "\u2716";
        case CANCELLED -> "\u25a0";
      });
      status.setStyle(switch (bound.status()) {
        case SUCCEEDED -> "-fx-text-fill: -color-success-fg;";
        case FAILED, INVALID -> "-fx-text-fill: -color-danger-fg;";
        case RUNNING -> "-fx-text-fill: -color-accent-fg;";
        default -> "-fx-text-fill: -color-fg-muted;";
      });
      name.setText("#" + bound.number() + "  " + bound.name() + "  \u00b7  " + bound.queuedAt());
      detail.setText(bound.status().name().toLowerCase(java.util.Locale.ROOT) + ": " + bound.detail());
      setGraphic(box);
      setText(null);
    }
  }
}
