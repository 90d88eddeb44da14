package org.latentstudio.ui.panels;

import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.latentstudio.graph.NodeId;
import org.latentstudio.ui.run.RunController;

/** Errors of the last run, each pointing at its node: click one to select the node and bring it into view. */
public final class ProblemsPanel extends VBox {
  private final ListView<RunController.ProblemItem> list = new ListView<>();

  public ProblemsPanel(RunController runs, Consumer<NodeId> reveal) {
    getStyleClass().add("side-panel");
    setSpacing(6);
    setPadding(new Insets(6));
    list.setId("problems-list");
    list.setItems(runs.problems());
    list.setPlaceholder(new Label("No problems."));
    list.setCellFactory(v -> new ListCell<>() {
      private final Label heading = new Label();
      private final Label message = new Label();
      private final VBox box = new VBox(2, heading, message);

      {
        getStyleClass().add("problem-cell");
        heading.getStyleClass().add("title");
        message.setWrapText(true);
        message.maxWidthProperty().bind(list.widthProperty().subtract(30));
        setOnMouseClicked(e -> {
          if (getItem() != null && getItem().node() != null) {
            reveal.accept(getItem().node());
          }
        });
      }

      @Override
      protected void updateItem(RunController.ProblemItem item, boolean empty) {
        super.updateItem(item, empty);
        if (empty || item == null) {
          setGraphic(null);
          return;
        }
        heading.setText(item.heading());
        message.setText(item.message());
        setGraphic(box);
      }
    });
    VBox.setVgrow(list, Priority.ALWAYS);
    getChildren().addAll(list);
  }

  public ListView<RunController.ProblemItem> list() {
    return list;
  }
}
