package org.latentstudio.ui;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

/** The studio window. */
public final class StudioApp extends Application {
  public static final String TITLE = "Latent Studio";

  public static void launchStudio(String[] args) {
    Application.launch(StudioApp.class, args);
  }

  @Override
  public void start(Stage stage) {
    stage.setTitle(TITLE);
    stage.setScene(new Scene(new StackPane(new Label(TITLE)), 1280, 800));
    stage.show();
  }
}
