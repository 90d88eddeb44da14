package org.latentstudio.server;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/** multipart/form-data uploads as ComfyUI's front end sends them: an "image" file part and text fields. */
final class Uploads {
  private Uploads() {}

  static ComfyClient.Answer upload(ComfyClient c, String filename, byte[] data, String subfolder) throws Exception {
    return upload(c, filename, data, subfolder, null);
  }

  static ComfyClient.Answer upload(ComfyClient c, String filename, byte[] data, String subfolder, String type)
      throws Exception {
    String boundary = "----latentstudio" + System.nanoTime();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    part(body, boundary, "Content-Disposition: form-data; name=\"image\"; filename=\"" + filename + "\"\r\n"
        + "Content-Type: image/png\r\n", data);
    if (subfolder != null) {
      part(body, boundary, "Content-Disposition: form-data; name=\"subfolder\"\r\n",
          subfolder.getBytes(StandardCharsets.UTF_8));
    }
    if (type != null) {
      part(body, boundary, "Content-Disposition: form-data; name=\"type\"\r\n", type.getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return c.send(HttpRequest.newBuilder(URI.create(c.base + "/upload/image"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  private static void part(ByteArrayOutputStream body, String boundary, String headers, byte[] content) {
    body.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
  }
}
