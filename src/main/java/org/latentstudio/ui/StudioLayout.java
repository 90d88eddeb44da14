package org.latentstudio.ui;

import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.latentstudio.ui.canvas.GraphCanvas;
import org.latentstudio.ui.panels.GalleryStrip;
import org.latentstudio.ui.panels.ModelsPanel;
import org.latentstudio.ui.panels.NodeLibrary;
import org.latentstudio.ui.panels.PreviewPanel;
import org.latentstudio.ui.panels.ProblemsPanel;
import org.latentstudio.ui.panels.PropertiesPanel;
import org.latentstudio.ui.panels.QueuePanel;
import org.latentstudio.ui.run.RunController;

/**
 * Where the panels sit: the node library and models on the left, the canvas with the gallery below it in the
 * middle, the preview above the queue, problems and properties on the right. The side columns keep their width
 * when the window is resized, so the canvas gets the room; the Problems tab comes forward when a run reports a
 * problem.
 */
final class StudioLayout {
  private StudioLayout() {}

  static SplitPane build(NodeLibrary library, ModelsPanel models, GraphCanvas canvas, GalleryStrip gallery,
      PreviewPanel preview, QueuePanel queue, ProblemsPanel problems, PropertiesPanel properties,
      RunController runs) {
    TabPane leftTabs = new TabPane(new Tab("Nodes", library), lazyTab("Models", models));
    leftTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
    leftTabs.setMinWidth(200);
    leftTabs.setPrefWidth(250);
    Tab problemsTab = lazyTab("Problems", problems);
    TabPane rightTabs = new TabPane(new Tab("Queue", queue), problemsTab, lazyTab("Properties", properties));
    rightTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
    SplitPane right = new SplitPane(preview, rightTabs);
    right.setOrientation(Orientation.VERTICAL);
    right.setDividerPositions(0.48);
    right.setMinWidth(240);
    right.setPrefWidth(320);
    VBox middle = new VBox(canvas, gallery);
    VBox.setVgrow(canvas, Priority.ALWAYS);
    SplitPane main = new SplitPane(leftTabs, middle, right);
    main.setDividerPositions(0.19, 0.78);
    SplitPane.setResizableWithParent(leftTabs, false);
    SplitPane.setResizableWithParent(right, false);
    runs.problems().addListener((ListChangeListener<RunController.ProblemItem>) c -> {
      if (!runs.problems().isEmpty()) {
        rightTabs.getSelectionModel().select(problemsTab);
      }
    });
    return main;
  }

  /**
   * A tab whose panel joins the scene when the tab is first selected. The window's first CSS pass and layout, most
   * of the time between building the window and showing it, then skip the panels behind the other tabs (a fifth
   * of the window's nodes).
   */
  static Tab lazyTab(String title, Node panel) {
    Tab tab = new Tab(title);
    tab.selectedProperty().addListener(new ChangeListener<Boolean>() {
      @Override
      public void changed(ObservableValue<? extends Boolean> o, Boolean was, Boolean selected) {
        if (selected) {
          tab.selectedProperty().removeListener(this);
          tab.setContent(panel);
        }
      }
    });
    return tab;
  }
}
