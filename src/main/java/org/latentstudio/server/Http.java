package org.latentstudio.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Reading request bodies within a size limit and writing JSON and byte answers. */
final class Http {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Http() {}

  /** The body, refused with 413 past {@code limit} bytes, whatever Content-Length claims. */
  static byte[] body(Request request, long limit) throws BadRequest, IOException {
    long declared = request.getLength();
    if (declared > limit) {
      throw tooLarge(limit);
    }
    try (InputStream in = Request.asInputStream(request)) {
      byte[] buf = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
      if (buf.length > limit) {
        throw tooLarge(limit);
      }
      return buf;
    }
  }

  private static BadRequest tooLarge(long limit) {
    return new BadRequest(413, "too_large", "the request body is larger than " + (limit >> 20) + " MiB");
  }

  /** A JSON body; an empty body is {@code {}} when {@code emptyIsObject}, as ComfyUI's /interrupt accepts. */
  static JsonNode json(Request request, long limit, boolean emptyIsObject) throws BadRequest, IOException {
    byte[] bytes = body(request, limit);
    if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      if (emptyIsObject) {
        return MAPPER.createObjectNode();
      }
      throw BadRequest.of("the request has no body; send JSON");
    }
    try {
      JsonNode n = MAPPER.readTree(bytes);
      if (n == null) {
        throw BadRequest.of("the request has no body; send JSON");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw BadRequest.of("the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  static void json(Response response, Callback callback, int status, JsonNode body) {
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
    bytes(response, callback, status, "application/json; charset=utf-8", bytes);
  }

  static void bytes(Response response, Callback callback, int status, String type, byte[] bytes) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  static void error(Response response, Callback callback, int status, String type, String message) {
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("type", type);
    error.put("message", message);
    error.put("details", message);
    error.putObject("extra_info");
    json(response, callback, status, body);
  }
}
