package org.latentstudio.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test fixtures from {@code src/test/resources}. */
public final class Resources {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Resources() {}

  public static JsonNode json(String path) {
    try (InputStream in = open(path)) {
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String path) throws IOException {
    InputStream in = Resources.class.getResourceAsStream("/" + path);
    if (in == null) {
      throw new IOException("missing test resource " + path);
    }
    return in;
  }
}
