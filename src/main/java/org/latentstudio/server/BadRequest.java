package org.latentstudio.server;

/** A request the server refuses, with the HTTP status and a message for the client. */
final class BadRequest extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String type;

  BadRequest(int status, String type, String message) {
    super(message);
    this.status = status;
    this.type = type;
  }

  static BadRequest of(String message) {
    return new BadRequest(400, "bad_request", message);
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }
}
