package org.latentstudio.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.latentstudio.exec.Executor;
import org.latentstudio.runtime.ModelLibrary;

/**
 * {@code latentstudio serve}: ComfyUI's HTTP and WebSocket API on Jetty, so ComfyUI's scripts and clients drive
 * this studio unchanged. Prompts go to the executor's shared queue, so the studio and the server take turns.
 * Binds to 127.0.0.1 unless told otherwise.
 */
public final class ComfyServer implements AutoCloseable {
  public static final int DEFAULT_PORT = 8188;
  public static final String DEFAULT_ADDRESS = "127.0.0.1";

  private final Server jetty;
  private final ServerConnector connector;
  private final ClientHub hub = new ClientHub();
  private final PromptService prompts;

  /**
   * @param port 0 picks a free port (tests)
   */
  public ComfyServer(Executor executor, ModelLibrary models, ServerFolders folders, String address, int port,
      String version) {
    Logger.getLogger("org.eclipse.jetty").setLevel(Level.WARNING);
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("latentstudio-server");
    threads.setDaemon(true);
    jetty = new Server(threads);
    jetty.setErrorHandler(new JsonErrors());
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setUriCompliance(UriCompliance.DEFAULT); // encoded '/' or ".." segments in a path are a 400 already
    connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(address);
    connector.setPort(port);
    jetty.addConnector(connector);

    prompts = new PromptService(executor, models, folders, hub);
    ContextHandler context = new ContextHandler("/");
    WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(jetty, context, container -> {
      container.setIdleTimeout(Duration.ofHours(1));
      container.setMaxTextMessageSize(1 << 20);
      container.setMaxBinaryMessageSize(1 << 20);
      container.addMapping("/ws", (req, resp, cb) -> new ClientSocket(clientId(req), hub, prompts));
      container.addMapping("/api/ws", (req, resp, cb) -> new ClientSocket(clientId(req), hub, prompts));
    });
    ws.setHandler(new ApiHandler(executor, models, folders, prompts, version));
    context.setHandler(ws);
    jetty.setHandler(context);
  }

  private static String clientId(org.eclipse.jetty.server.Request req) {
    String id = org.eclipse.jetty.server.Request.extractQueryParameters(req).getValue("clientId");
    return id == null || id.isBlank() ? java.util.UUID.randomUUID().toString().replace("-", "") : id;
  }

  public ComfyServer start() throws Exception {
    jetty.start();
    return this;
  }

  /** The port it listens on (the one picked when asked for 0). */
  public int port() {
    return connector.getLocalPort();
  }

  public String address() {
    return connector.getHost();
  }

  public String url() {
    String host = connector.getHost();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** Whether a WebSocket client with this id is connected now. */
  public boolean connected(String clientId) {
    return hub.has(clientId);
  }

  public InetSocketAddress boundTo() {
    return new InetSocketAddress(address(), port());
  }

  @Override
  public void close() {
    prompts.close();
    hub.closeAll();
    try {
      jetty.stop();
    } catch (Exception e) {
      // stopping a server that failed to start: nothing left to stop
    }
  }
}
