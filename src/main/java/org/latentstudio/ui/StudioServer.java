package org.latentstudio.ui;

import java.io.IOException;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.latentstudio.io.IoErrors;
import org.latentstudio.runtime.ModelLibrary;
import org.latentstudio.server.ComfyServer;
import org.latentstudio.server.ServerFolders;

/**
 * Run → Serve ComfyUI API: the same server as {@code latentstudio serve}, on this window's executor and queue, so
 * clients' prompts show in the Queue tab and their pictures in the gallery. It listens on 127.0.0.1, port
 * {@code latentstudio.server.port} (8188 unless set). FX thread only.
 */
final class StudioServer {
  private final StudioConfig cfg;
  private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
  private final ReadOnlyStringWrapper label = new ReadOnlyStringWrapper(this, "label", "");
  private ComfyServer server;

  StudioServer(StudioConfig cfg) {
    this.cfg = cfg;
  }

  ReadOnlyBooleanProperty runningProperty() {
    return running.getReadOnlyProperty();
  }

  /** "ComfyUI API :8188" while it runs, for the status bar. */
  ReadOnlyStringProperty labelProperty() {
    return label.getReadOnlyProperty();
  }

  static int port() {
    return Integer.getInteger("latentstudio.server.port", ComfyServer.DEFAULT_PORT);
  }

  /** Starts it; returns the problem in words when it cannot (the port is taken), else null. */
  String start() {
    if (server != null) {
      return null;
    }
    ServerFolders folders = new ServerFolders(cfg.userDir().resolve("input"), cfg.outputDir(),
        cfg.userDir().resolve("temp"));
    ComfyServer s = new ComfyServer(cfg.executor(), new ModelLibrary(cfg.models().folders()), folders,
        ComfyServer.DEFAULT_ADDRESS, port(), "studio");
    try {
      folders.create();
      s.start();
    } catch (IOException e) {
      s.close();
      return "cannot create the server's folders: " + IoErrors.reasonAt(e);
    } catch (Exception e) {
      s.close();
      return "cannot listen on " + ComfyServer.DEFAULT_ADDRESS + ":" + port() + " (" + e.getMessage()
          + "). Another server (ComfyUI?) may be using the port; stop it or start the studio with "
          + "-Dlatentstudio.server.port=" + (port() + 1);
    }
    server = s;
    running.set(true);
    label.set("ComfyUI API :" + s.port());
    return null;
  }

  void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
    running.set(false);
    label.set("");
  }

  /** The URL clients use, or null when stopped. */
  String url() {
    return server == null ? null : server.url();
  }
}
