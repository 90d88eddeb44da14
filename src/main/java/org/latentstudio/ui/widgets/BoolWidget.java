package org.latentstudio.ui.widgets;

import javafx.css.PseudoClass;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import org.latentstudio.graph.InputSpec;

/** An on/off switch; a click flips it. */
final class BoolWidget extends WidgetView {
  private static final PseudoClass ON = PseudoClass.getPseudoClass("on");
  private final Region track = new Region();
  private final Circle knob = new Circle(5);

  BoolWidget(InputSpec spec, WidgetContext ctx) {
    super(spec, ctx);
    track.getStyleClass().add("toggle-track");
    track.setManaged(false);
    knob.getStyleClass().add("toggle-knob");
    getChildren().addAll(name, track, knob);
    setOnMouseReleased(e -> {
      if (!isLinked() && e.getButton() == MouseButton.PRIMARY && e.isStillSincePress()) {
        commit(!Boolean.TRUE.equals(value));
        ctx.endGesture();
      }
    });
  }

  @Override
  protected void showValue(Object v) {
    boolean on = Boolean.TRUE.equals(v);
    pseudoClassStateChanged(ON, on);
    track.setVisible(true);
    knob.setVisible(true);
    requestLayout();
  }

  @Override
  protected void showLinked(String from) {
    name.setText(label(spec.name()) + "  \u2190 " + from);
    track.setVisible(false);
    knob.setVisible(false);
  }

  @Override
  protected void layoutWidget(double w, double h) {
    double cy = h / 2;
    name.setLayoutX(8);
    name.setLayoutY(cy);
    double tw = 26;
    double th = 14;
    track.resizeRelocate(w - tw - 8, cy - th / 2, tw, th);
    boolean on = Boolean.TRUE.equals(value);
    knob.setCenterX(on ? w - 8 - th / 2 : w - tw - 8 + th / 2);
    knob.setCenterY(cy);
  }
}
