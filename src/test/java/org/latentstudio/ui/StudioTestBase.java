package org.latentstudio.ui;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.geometry.Point2D;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.exec.Executor;
import org.latentstudio.exec.OutputCache;
import org.latentstudio.exec.Services;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.NodeId;
import org.latentstudio.io.Workflow;
import org.latentstudio.ui.canvas.GraphCanvas;
import org.latentstudio.ui.canvas.NodeLayout;
import org.latentstudio.ui.canvas.NodeView;
import org.latentstudio.ui.models.ModelCatalog;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Opens a fresh studio window per test, with the stand-in node types, a temporary user folder and scripted
 * dialogs, and offers helpers to find things on screen and to wait for the FX thread.
 */
@ExtendWith(FxExtension.class)
public abstract class StudioTestBase {
  protected static final int WIDTH = 1280;
  protected static final int HEIGHT = 800;

  @TempDir
  protected Path tmp;

  protected final FxRobot robot = new FxRobot();
  protected final StudioTestNodes nodes = new StudioTestNodes();
  protected final ScriptedDialogs dialogs = new ScriptedDialogs();
  protected final RecordingDesktop desktop = new RecordingDesktop();
  protected Executor executor;
  protected StudioWindow studio;

  /** Records the folders and files the studio asked the desktop to open. */
  public static final class RecordingDesktop implements DesktopActions {
    public final List<Path> opened = new ArrayList<>();

    @Override
    public void openFolder(Path folder) {
      opened.add(folder);
    }

    @Override
    public void openFile(Path file) {
      opened.add(file);
    }
  }

  protected StudioConfig config() {
    return new StudioConfig(nodes.registry(), executor, tmp.resolve("user"), tmp.resolve("output"), null,
        models(), w -> dialogs, desktop, 1, 0, false);
  }

  protected ModelCatalog models() {
    return ModelCatalog.NONE;
  }

  @BeforeEach
  void openStudio() throws Exception {
    executor = new Executor(nodes.registry(), new OutputCache(256L << 20), new Services());
    studio = openWindow(config());
  }

  protected StudioWindow openWindow(StudioConfig cfg) {
    StudioWindow w = fx(() -> {
      Stage stage = new Stage();
      StudioWindow sw = new StudioWindow(stage, cfg);
      stage.setX(0);
      stage.setY(0);
      stage.setWidth(WIDTH);
      stage.setHeight(HEIGHT);
      sw.show();
      return sw;
    });
    WaitForAsyncUtils.waitForFxEvents();
    return w;
  }

  @AfterEach
  void closeStudio() {
    if (studio != null) {
      fx(() -> {
        studio.document().load(Workflow.of(Graph.empty()), null, true);
        studio.stage().close();
      });
    }
    if (executor != null) {
      executor.close();
    }
    WaitForAsyncUtils.waitForFxEvents();
  }

  protected GraphCanvas canvas() {
    return studio.canvas();
  }

  protected Graph graph() {
    return fx(() -> studio.document().graph());
  }

  /** Runs on the FX thread and waits for it, returning the value. */
  protected static <T> T fx(Callable<T> c) {
    try {
      return WaitForAsyncUtils.asyncFx(c).get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("FX call failed: " + e, e);
    }
  }

  protected static void fx(Runnable r) {
    fx(() -> {
      r.run();
      return null;
    });
  }

  /** Waits until the condition, checked on the FX thread, holds. */
  protected static void waitUntil(String what, BooleanSupplier condition) {
    waitUntil(what, 20, condition);
  }

  protected static void waitUntil(String what, int seconds, BooleanSupplier condition) {
    try {
      WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> fx(condition::getAsBoolean));
    } catch (Exception e) {
      fail("timed out waiting for " + what);
    }
    WaitForAsyncUtils.waitForFxEvents();
  }

  /** Puts a graph in the window as a freshly opened document and frames it at 100 %. */
  protected void load(Graph g) {
    fx(() -> {
      studio.document().load(Workflow.of(g), null, true);
      canvas().setView(1, 40, 40);
      canvas().requestFocus();
    });
    WaitForAsyncUtils.waitForFxEvents();
  }

  protected NodeView view(String id) {
    return fx(() -> canvas().view(NodeId.of(id)));
  }

  /** The screen position of a port's dot. */
  protected Point2D port(String node, String port, boolean input) {
    return fx(() -> {
      NodeView v = canvas().view(NodeId.of(node));
      Point2D w = v.portPosition(port, input);
      return canvas().localToScreen(canvas().worldToScreen(w));
    });
  }

  /** A point in the title bar of a node, on screen. */
  protected Point2D title(String node) {
    return fx(() -> {
      NodeView v = canvas().view(NodeId.of(node));
      Point2D w = new Point2D(v.getLayoutX() + v.nodeWidth() / 2, v.getLayoutY() + NodeLayout.TITLE_H / 2);
      return canvas().localToScreen(canvas().worldToScreen(w));
    });
  }

  /** A point of the canvas on screen, from canvas-local (view) coordinates. */
  protected Point2D onCanvas(double x, double y) {
    return fx(() -> canvas().localToScreen(x, y));
  }

  /** A point near the bottom-right corner of the canvas, where the test graphs leave room. */
  protected Point2D emptySpot() {
    return fx(() -> canvas().localToScreen(canvas().getWidth() - 40, canvas().getHeight() - 40));
  }

  /** The screen point of a canvas-unit point. */
  protected Point2D world(double x, double y) {
    return fx(() -> canvas().localToScreen(canvas().worldToScreen(new Point2D(x, y))));
  }

  protected static NodeId id(String s) {
    return NodeId.of(s);
  }
}
