package org.latentstudio.server;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty itself gives (a malformed request line, an encoded '/' in a path, a failed WebSocket
 * upgrade) as the same short JSON our routes give: the status and its reason, never a stack or an HTML page.
 */
final class JsonErrors extends ErrorHandler {
  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    String reason = HttpStatus.getMessage(code);
    String text = code >= 500 ? "the server could not answer (" + reason + ")"
        : message == null || message.isBlank() ? reason : reason + ": " + message;
    Http.error(response, callback, code, code >= 500 ? "server_error" : "bad_request", text);
  }
}
