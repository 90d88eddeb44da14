package org.latentstudio.ui.widgets;

import java.util.Random;
import javafx.geometry.VPos;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;
import org.latentstudio.graph.InputSpec;

/**
 * A number in the style of Blender's fields: drag sideways to change it (Shift for fine steps), click the
 * arrows to step, click the value to type it. With a bounded range it fills like a slider and a drag across
 * the field sweeps the whole range. A seed field adds its after-run control at the right.
 */
final class NumberWidget extends WidgetView {
  private static final double DRAG_THRESHOLD = 3;
  private static final double ARROW_W = 14;
  private static final double SEED_W = 30;

  private final Region fill = new Region();
  private final Text valueText = new Text();
  private final Text left = new Text("\u2039");
  private final Text right = new Text("\u203a");
  private final Text seedBadge;
  private final NumberRule rule;
  private final boolean slider;
  private TextField editor;

  private double pressScreenX;
  private double pressValue;
  private boolean pressOnBadge;
  private boolean dragging;

  NumberWidget(InputSpec spec, WidgetContext ctx) {
    super(spec, ctx);
    rule = new NumberRule(spec);
    slider = rule.slider();
    fill.getStyleClass().add("widget-fill");
    fill.setManaged(false);
    fill.setMouseTransparent(true);
    fill.setVisible(slider);
    valueText.getStyleClass().add("widget-value");
    valueText.setTextOrigin(VPos.CENTER);
    left.getStyleClass().add("widget-arrow");
    right.getStyleClass().add("widget-arrow");
    left.setTextOrigin(VPos.CENTER);
    right.setTextOrigin(VPos.CENTER);
    getChildren().addAll(fill, name, valueText, left, right);
    if (spec.seed()) {
      seedBadge = new Text();
      seedBadge.getStyleClass().add("seed-badge");
      seedBadge.setTextOrigin(VPos.CENTER);
      getChildren().add(seedBadge);
    } else {
      seedBadge = null;
    }
    setOnMousePressed(this::pressed);
    setOnMouseDragged(this::dragged);
    setOnMouseReleased(this::released);
  }

  double number() {
    return value instanceof Number n ? n.doubleValue() : 0;
  }

  @Override
  protected void showValue(Object v) {
    valueText.setText(rule.format(v));
    left.setVisible(true);
    right.setVisible(true);
    if (seedBadge != null && node != null) {
      SeedControl c = SeedControl.of(node, spec.name());
      seedBadge.setText(c.badge());
      seedBadge.setVisible(true);
    }
    requestLayout();
  }

  @Override
  protected void showLinked(String from) {
    valueText.setText("\u2190 " + from);
    left.setVisible(false);
    right.setVisible(false);
    fill.setVisible(false);
    if (seedBadge != null) {
      seedBadge.setVisible(false);
    }
    requestLayout();
  }

  @Override
  protected void layoutWidget(double w, double h) {
    double cy = h / 2;
    boolean linked = isLinked();
    double seedW = seedBadge != null && !linked ? SEED_W : 0;
    left.setLayoutX(4);
    left.setLayoutY(cy);
    right.setLayoutX(w - seedW - ARROW_W + 2);
    right.setLayoutY(cy);
    name.setLayoutX(linked ? 8 : ARROW_W + 4);
    name.setLayoutY(cy);
    double vw = valueText.getLayoutBounds().getWidth();
    valueText.setLayoutX(w - seedW - ARROW_W - 4 - vw);
    valueText.setLayoutY(cy);
    if (seedBadge != null) {
      seedBadge.setLayoutX(w - SEED_W + (SEED_W - seedBadge.getLayoutBounds().getWidth()) / 2);
      seedBadge.setLayoutY(cy);
    }
    if (slider && !linked) {
      double min = spec.min().doubleValue();
      double max = spec.max().doubleValue();
      double f = max > min ? Math.max(0, Math.min(1, (number() - min) / (max - min))) : 0;
      fill.resizeRelocate(0, 0, (w - seedW) * f, h);
      fill.setVisible(true);
    }
    if (editor != null) {
      editor.resizeRelocate(0, 0, w - seedW, h);
    }
  }

  private boolean onSeedBadge(MouseEvent e) {
    return seedBadge != null && e.getX() >= getWidth() - SEED_W;
  }

  private void pressed(MouseEvent e) {
    if (isLinked() || editor != null || e.getButton() != MouseButton.PRIMARY) {
      return;
    }
    pressScreenX = e.getScreenX();
    pressValue = number();
    pressOnBadge = onSeedBadge(e);
    dragging = false;
  }

  private void dragged(MouseEvent e) {
    if (isLinked() || editor != null || e.getButton() != MouseButton.PRIMARY || pressOnBadge) {
      return;
    }
    double dx = e.getScreenX() - pressScreenX;
    if (!dragging && Math.abs(dx) < DRAG_THRESHOLD) {
      return;
    }
    if (!dragging) {
      ctx.beginGesture();
    }
    dragging = true;
    double perPixel;
    if (slider) {
      double screenWidth = Math.max(40, getWidth() * ctx.zoom());
      perPixel = (spec.max().doubleValue() - spec.min().doubleValue()) / screenWidth;
    } else {
      perPixel = rule.integer() ? rule.step() / 6 : rule.step();
    }
    if (e.isShiftDown()) {
      perPixel *= 0.1;
    }
    commit(rule.clampAndRound(pressValue + dx * perPixel));
  }

  private void released(MouseEvent e) {
    if (isLinked() || e.getButton() != MouseButton.PRIMARY) {
      return;
    }
    if (dragging) {
      dragging = false;
      ctx.endGesture();
      return;
    }
    if (editor != null) {
      return;
    }
    if (onSeedBadge(e)) {
      showSeedMenu(e);
    } else if (e.getX() < ARROW_W + 2) {
      stepBy(-1);
    } else if (e.getX() > getWidth() - (seedBadge != null ? SEED_W : 0) - ARROW_W - 2) {
      stepBy(1);
    } else {
      startEditing();
    }
  }

  void stepBy(int direction) {
    commit(rule.clampAndRound(number() + direction * rule.step()));
    ctx.endGesture();
  }

  /** Replaces the field by a text box until Enter, Escape or a click elsewhere. */
  void startEditing() {
    editor = new TextField(rule.format(value));
    editor.getStyleClass().add("widget-editor");
    getChildren().add(editor);
    requestLayout();
    editor.setOnKeyPressed(k -> {
      if (k.getCode() == KeyCode.ENTER) {
        finishEditing(true);
        k.consume();
      } else if (k.getCode() == KeyCode.ESCAPE) {
        finishEditing(false);
        k.consume();
      }
    });
    editor.focusedProperty().addListener((o, was, is) -> {
      if (!is) {
        finishEditing(true);
      }
    });
    editor.requestFocus();
    editor.selectAll();
  }

  private void finishEditing(boolean keep) {
    TextField e = editor;
    if (e == null) {
      return;
    }
    editor = null;
    getChildren().remove(e);
    if (keep) {
      try {
        commit(rule.parse(e.getText()));
      } catch (IllegalArgumentException ex) {
        // not a number: the old value stays
      }
      ctx.endGesture();
    }
    requestLayout();
    ctx.returnFocus();
  }

  @Override
  public boolean isEditing() {
    return editor != null;
  }

  TextField editor() {
    return editor;
  }

  private void showSeedMenu(MouseEvent e) {
    ContextMenu menu = new ContextMenu();
    ToggleGroup group = new ToggleGroup();
    SeedControl current = SeedControl.of(node, spec.name());
    for (SeedControl c : SeedControl.values()) {
      RadioMenuItem item = new RadioMenuItem(c.label());
      item.setToggleGroup(group);
      item.setSelected(c == current);
      item.setOnAction(a -> {
        commitControl(c);
      });
      menu.getItems().add(item);
    }
    javafx.scene.control.MenuItem now = new javafx.scene.control.MenuItem("New random seed now");
    now.setOnAction(a -> {
      commit(SeedControl.RANDOMIZE.next(0, spec, new Random()));
      ctx.endGesture();
    });
    menu.getItems().addAll(new javafx.scene.control.SeparatorMenuItem(), now);
    menu.show(this, e.getScreenX(), e.getScreenY());
  }

  private void commitControl(SeedControl c) {
    if (nodeId != null) {
      ctx.commit(nodeId, SeedControl.key(spec.name()), c.fileName());
      ctx.endGesture();
    }
  }

  @Override
  public String toString() {
    return "NumberWidget[" + spec.name() + "=" + rule.format(value) + "]";
  }
}
