package org.latentstudio.ui.widgets;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Side;
import javafx.geometry.VPos;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.MouseButton;
import javafx.scene.text.Text;
import org.latentstudio.graph.InputSpec;

/**
 * A value picked from a list: the input's fixed choices, or for a file or model input the files of that kind
 * the studio knows, plus "Browse..." to pick another.
 */
final class ChoiceWidget extends WidgetView {
  private final Text valueText = new Text();
  private final Text arrow = new Text("\u25be");
  private ContextMenu menu;

  ChoiceWidget(InputSpec spec, WidgetContext ctx) {
    super(spec, ctx);
    valueText.getStyleClass().add("widget-value");
    valueText.setTextOrigin(VPos.CENTER);
    arrow.getStyleClass().add("widget-arrow");
    arrow.setTextOrigin(VPos.CENTER);
    getChildren().addAll(name, valueText, arrow);
    setOnMouseReleased(e -> {
      if (!isLinked() && e.getButton() == MouseButton.PRIMARY && e.isStillSincePress()) {
        showMenu();
      }
    });
  }

  @Override
  protected void showValue(Object v) {
    String text = v == null ? "" : String.valueOf(v);
    if (spec.fileKind() != null && text.isEmpty()) {
      text = spec.optional() ? "(none)" : "(choose " + spec.fileKind() + ")";
    }
    valueText.setText(text);
    arrow.setVisible(true);
    requestLayout();
  }

  @Override
  protected void showLinked(String from) {
    valueText.setText("\u2190 " + from);
    arrow.setVisible(false);
    requestLayout();
  }

  List<String> options() {
    List<String> out = new ArrayList<>(spec.choices());
    if (spec.fileKind() != null) {
      for (String f : ctx.files(spec.fileKind())) {
        if (!out.contains(f)) {
          out.add(f);
        }
      }
    }
    return out;
  }

  void showMenu() {
    if (menu != null) {
      menu.hide();
    }
    menu = new ContextMenu();
    menu.getStyleClass().add("choice-menu");
    ToggleGroup group = new ToggleGroup();
    String current = value == null ? null : String.valueOf(value);
    for (String option : options()) {
      RadioMenuItem item = new RadioMenuItem(option);
      item.setToggleGroup(group);
      item.setSelected(option.equals(current));
      item.setOnAction(a -> choose(option));
      menu.getItems().add(item);
    }
    if (spec.fileKind() != null) {
      if (spec.optional()) {
        // an optional file (a checkpoint's config) can be cleared again
        RadioMenuItem none = new RadioMenuItem("(none)");
        none.setToggleGroup(group);
        none.setSelected(current == null || current.isEmpty());
        none.setOnAction(a -> choose(""));
        menu.getItems().add(0, none);
      }
      if (menu.getItems().isEmpty() || spec.optional() && menu.getItems().size() == 1) {
        MenuItem none = new MenuItem("No " + spec.fileKind() + " found in the models folders");
        none.setDisable(true);
        menu.getItems().add(none);
      }
      MenuItem browse = new MenuItem("Browse\u2026");
      browse.setOnAction(a -> ctx.browse(spec.fileKind()).ifPresent(this::choose));
      menu.getItems().addAll(new SeparatorMenuItem(), browse);
    }
    menu.show(this, Side.BOTTOM, 0, 0);
  }

  ContextMenu menu() {
    return menu;
  }

  void choose(String option) {
    commit(option);
    ctx.endGesture();
  }

  @Override
  protected void layoutWidget(double w, double h) {
    double cy = h / 2;
    name.setLayoutX(8);
    name.setLayoutY(cy);
    arrow.setLayoutX(w - 14);
    arrow.setLayoutY(cy);
    double nameRight = 8 + name.getLayoutBounds().getWidth() + 12;
    double vw = valueText.getLayoutBounds().getWidth();
    valueText.setLayoutX(Math.max(nameRight, w - 18 - vw));
    valueText.setLayoutY(cy);
  }
}
