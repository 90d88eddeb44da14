package org.latentstudio.server;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The WebSocket clients by their clientId. Messages for a prompt go to the client that queued it; queue status
 * goes to all. A client that reconnects with the same id replaces its old socket, as in ComfyUI.
 */
final class ClientHub {
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  void add(String clientId, Session session) {
    Session old = sessions.put(clientId, session);
    if (old != null && old != session) {
      old.close();
    }
  }

  void remove(String clientId, Session session) {
    sessions.remove(clientId, session);
  }

  boolean has(String clientId) {
    return clientId != null && sessions.containsKey(clientId);
  }

  int size() {
    return sessions.size();
  }

  void send(String clientId, String text) {
    Session s = clientId == null ? null : sessions.get(clientId);
    if (s != null) {
      sendText(s, text);
    }
  }

  void sendBinary(String clientId, byte[] frame) {
    Session s = clientId == null ? null : sessions.get(clientId);
    if (s != null && s.isOpen()) {
      synchronized (s) {
        s.sendBinary(ByteBuffer.wrap(frame), Callback.NOOP);
      }
    }
  }

  void broadcast(String text) {
    for (Session s : sessions.values()) {
      sendText(s, text);
    }
  }

  private static void sendText(Session s, String text) {
    if (s.isOpen()) {
      synchronized (s) {
        s.sendText(text, Callback.NOOP); // a failed send means the client left; it reconnects for more
      }
    }
  }

  void closeAll() {
    sessions.values().forEach(Session::close);
    sessions.clear();
  }
}
