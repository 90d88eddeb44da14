package org.latentstudio.ui.canvas;

import javafx.collections.ObservableList;
import javafx.geometry.VPos;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.text.Text;

/**
 * What a node produced in the last run, shown below its widgets: lines of text (a shown value) and a picture,
 * scaled to the node's width and at most {@link #MAX_IMAGE_H} high. The parts are made when first needed.
 */
final class NodeResult {
  private static final double MAX_IMAGE_H = 320;

  private final ObservableList<javafx.scene.Node> children;
  private Text text;
  private ImageView image;

  /** @param children the node view's children, which the parts join at the end */
  NodeResult(ObservableList<javafx.scene.Node> children) {
    this.children = children;
  }

  /** Shows text and a picture; null or empty clears each. */
  void show(String value, Image picture) {
    if (value == null || value.isEmpty()) {
      if (text != null) {
        text.setVisible(false);
      }
    } else {
      if (text == null) {
        text = new Text();
        text.getStyleClass().add("node-result");
        text.setTextOrigin(VPos.TOP);
        text.setManaged(false);
        children.add(text);
      }
      text.setText(value);
      text.setVisible(true);
    }
    if (picture == null) {
      if (image != null) {
        image.setVisible(false);
      }
    } else {
      if (image == null) {
        image = new ImageView();
        image.setPreserveRatio(true);
        image.setSmooth(true);
        image.setManaged(false);
        children.add(image);
      }
      image.setImage(picture);
      image.setVisible(true);
    }
  }

  String text() {
    return text == null || !text.isVisible() ? null : text.getText();
  }

  Image image() {
    return image == null || !image.isVisible() ? null : image.getImage();
  }

  /** The room the result takes below the widgets of a node {@code w} wide, with its margins. */
  double height(double w) {
    double h = 0;
    if (text != null && text.isVisible()) {
      text.setWrappingWidth(w - 2 * NodeLayout.PAD);
      h += text.getLayoutBounds().getHeight() + NodeLayout.PAD;
    }
    if (image != null && image.isVisible()) {
      h += imageHeight(w) + NodeLayout.PAD;
    }
    return h;
  }

  /** Places the result at {@code y}; returns where the content below it starts. */
  double layout(double w, double y) {
    if (text != null && text.isVisible()) {
      text.setWrappingWidth(w - 2 * NodeLayout.PAD);
      text.relocate(NodeLayout.PAD, y);
      y += text.getLayoutBounds().getHeight() + NodeLayout.PAD;
    }
    if (image != null && image.isVisible()) {
      double iw = w - 2 * NodeLayout.PAD;
      double ih = imageHeight(w);
      image.setFitWidth(iw);
      image.setFitHeight(ih);
      image.relocate(NodeLayout.PAD, y);
      y += ih + NodeLayout.PAD;
    }
    return y;
  }

  private double imageHeight(double w) {
    Image img = image.getImage();
    double iw = w - 2 * NodeLayout.PAD;
    return Math.min(MAX_IMAGE_H, img.getHeight() * iw / Math.max(1, img.getWidth()));
  }
}
