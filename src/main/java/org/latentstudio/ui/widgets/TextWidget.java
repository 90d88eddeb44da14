package org.latentstudio.ui.widgets;

import javafx.geometry.VPos;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.text.Text;
import org.latentstudio.graph.InputSpec;

/**
 * Text: one line, or a multi-line box for prompts and notes. It shows the text; a click puts a real text
 * control in its place, whose every change goes to the document (merged into one undo step per visit), until
 * focus leaves or Escape is pressed.
 */
final class TextWidget extends WidgetView {
  private final Text valueText = new Text();
  private final boolean multiline;
  private TextInputControl editor;

  TextWidget(InputSpec spec, WidgetContext ctx) {
    super(spec, ctx);
    multiline = spec.multiline();
    valueText.getStyleClass().add(multiline ? "widget-text" : "widget-value");
    valueText.setTextOrigin(multiline ? VPos.TOP : VPos.CENTER);
    if (multiline) {
      getStyleClass().add("multiline");
      name.getStyleClass().add("placeholder");
    }
    getChildren().addAll(name, valueText);
    setOnMouseReleased(e -> {
      if (!isLinked() && editor == null && e.getButton() == MouseButton.PRIMARY && e.isStillSincePress()) {
        startEditing();
      }
    });
  }

  @Override
  protected void showValue(Object v) {
    String text = v == null ? "" : String.valueOf(v);
    if (editor != null) {
      if (!editor.getText().equals(text)) {
        editor.setText(text); // undo while typing: show the document's text
      }
      return;
    }
    valueText.setText(multiline ? text : oneLine(text));
    name.setVisible(!multiline || text.isEmpty());
    valueText.setVisible(true);
    requestLayout();
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ');
  }

  @Override
  protected void showLinked(String from) {
    valueText.setText("\u2190 " + from);
    name.setVisible(true);
    requestLayout();
  }

  void startEditing() {
    if (editor != null) {
      return;
    }
    String text = value == null ? "" : String.valueOf(value);
    if (multiline) {
      TextArea area = new TextArea(text);
      area.setWrapText(true);
      editor = area;
    } else {
      editor = new TextField(text);
    }
    editor.getStyleClass().add("widget-editor");
    editor.setPromptText(label(spec.name()));
    valueText.setVisible(false);
    name.setVisible(false);
    getChildren().add(editor);
    editor.textProperty().addListener((o, was, is) -> {
      if (editor != null && !is.equals(value == null ? "" : String.valueOf(value))) {
        commit(is);
      }
    });
    editor.setOnKeyPressed(k -> {
      if (k.getCode() == KeyCode.ESCAPE || (!multiline && k.getCode() == KeyCode.ENTER)) {
        finishEditing();
        k.consume();
      }
    });
    editor.focusedProperty().addListener((o, was, is) -> {
      if (!is) {
        finishEditing();
      }
    });
    requestLayout();
    editor.requestFocus();
    editor.end();
  }

  void finishEditing() {
    TextInputControl e = editor;
    if (e == null) {
      return;
    }
    editor = null;
    getChildren().remove(e);
    ctx.endGesture();
    showValue(value);
    ctx.returnFocus();
  }

  @Override
  public boolean isEditing() {
    return editor != null;
  }

  TextInputControl editor() {
    return editor;
  }

  @Override
  protected void layoutWidget(double w, double h) {
    if (multiline) {
      name.setLayoutX(8);
      name.setLayoutY(14);
      valueText.setLayoutX(8);
      valueText.setLayoutY(6);
      valueText.setWrappingWidth(Math.max(10, w - 16));
    } else {
      double cy = h / 2;
      name.setLayoutX(8);
      name.setLayoutY(cy);
      double nameRight = 8 + name.getLayoutBounds().getWidth() + 12;
      double vw = valueText.getLayoutBounds().getWidth();
      valueText.setLayoutX(Math.max(nameRight, w - 8 - vw));
      valueText.setLayoutY(cy);
    }
    if (editor != null) {
      editor.resizeRelocate(0, 0, w, h);
    }
  }
}
