package org.latentstudio.ui.widgets;

import javafx.geometry.VPos;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.PortType;

/**
 * One widget row on a node. Widgets are drawn with a few shapes and text, which keeps a 500-node canvas light;
 * a real text control appears only while the user types. A widget whose input is fed by a wire shows where
 * the value comes from instead.
 */
public abstract class WidgetView extends Region {
  protected final InputSpec spec;
  protected final WidgetContext ctx;
  protected NodeId nodeId;
  protected Node node;
  protected Object value;
  protected final Text name = new Text();
  private final Rectangle clip = new Rectangle();
  private String linkedFrom;

  protected WidgetView(InputSpec spec, WidgetContext ctx) {
    this.spec = spec;
    this.ctx = ctx;
    getStyleClass().add("widget");
    name.getStyleClass().add("widget-name");
    name.setTextOrigin(VPos.CENTER);
    name.setText(label(spec.name()));
    setClip(clip);
    // a widget handles its own gestures: the canvas must not start dragging the node
    addEventHandler(MouseEvent.ANY, e -> {
      if (linkedFrom == null && e.getButton() != javafx.scene.input.MouseButton.MIDDLE) {
        e.consume();
      }
    });
  }

  public static WidgetView create(InputSpec spec, WidgetContext ctx) {
    if (spec.hasChoices() || spec.fileKind() != null) {
      return new ChoiceWidget(spec, ctx);
    }
    return switch (spec.type()) {
      case INT, FLOAT -> new NumberWidget(spec, ctx);
      case BOOLEAN -> new BoolWidget(spec, ctx);
      default -> new TextWidget(spec, ctx);
    };
  }

  /** "cfg_scale" reads "cfg scale". */
  public static String label(String name) {
    return name.replace('_', ' ');
  }

  public InputSpec spec() {
    return spec;
  }

  public Object value() {
    return value;
  }

  /** Shows the node's value (or the default) and whether a wire feeds the input. */
  public final void update(Node n, Object v, String linkedFromOrNull) {
    this.node = n;
    this.nodeId = n.id();
    boolean linkChanged = !java.util.Objects.equals(linkedFromOrNull, linkedFrom);
    this.linkedFrom = linkedFromOrNull;
    this.value = v;
    if (linkChanged) {
      pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("linked"), linkedFrom != null);
    }
    if (linkedFrom != null) {
      showLinked(linkedFrom);
    } else {
      showValue(v);
    }
  }

  /** Whether a text control is open on the widget for typing. */
  public boolean isEditing() {
    return false;
  }

  public boolean isLinked() {
    return linkedFrom != null;
  }

  protected abstract void showValue(Object v);

  /** Default: the name and the source, dimmed. */
  protected abstract void showLinked(String from);

  protected void commit(Object v) {
    if (nodeId != null) {
      ctx.commit(nodeId, spec.name(), v);
    }
  }

  @Override
  protected void layoutChildren() {
    clip.setWidth(getWidth());
    clip.setHeight(getHeight());
    layoutWidget(getWidth(), getHeight());
  }

  protected abstract void layoutWidget(double w, double h);

  protected static boolean isNumeric(PortType t) {
    return t == PortType.INT || t == PortType.FLOAT;
  }
}
