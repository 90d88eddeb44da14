package org.latentstudio.server;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One {@code /ws?clientId=...} connection. On connect it gets the queue status with its session id, as in
 * ComfyUI; what the client sends is ignored (ComfyUI only reads feature flags from it).
 */
public final class ClientSocket implements Session.Listener.AutoDemanding {
  private final String clientId;
  private final ClientHub hub;
  private final PromptService prompts;
  private Session session;

  ClientSocket(String clientId, ClientHub hub, PromptService prompts) {
    this.clientId = clientId;
    this.hub = hub;
    this.prompts = prompts;
  }

  @Override
  public void onWebSocketOpen(Session s) {
    session = s;
    hub.add(clientId, s);
    var msg = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    msg.put("type", "status");
    var data = msg.putObject("data");
    data.set("status", prompts.status());
    data.put("sid", clientId);
    hub.send(clientId, msg.toString());
  }

  @Override
  public void onWebSocketClose(int status, String reason, Callback callback) {
    hub.remove(clientId, session);
    callback.succeed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    hub.remove(clientId, session);
  }
}
