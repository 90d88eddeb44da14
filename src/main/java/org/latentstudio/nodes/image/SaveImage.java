package org.latentstudio.nodes.image;

import java.io.IOException;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.latentstudio.exec.Display;
import org.latentstudio.exec.ExecContext;
import org.latentstudio.exec.Inputs;
import org.latentstudio.exec.NodeException;
import org.latentstudio.exec.NodeType;
import org.latentstudio.exec.Outputs;
import org.latentstudio.graph.InPort;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.image.ImageBatch;
import org.latentstudio.image.PngText;
import org.latentstudio.image.RgbImage;
import org.latentstudio.io.IoErrors;
import org.latentstudio.nodes.Ports;

/**
 * Saves pictures as PNG with the workflow embedded (tEXt chunk "latentstudio"), so a picture can be dropped back
 * on the canvas to get its graph, and with ComfyUI's "prompt" and "workflow" chunks when the run brings them, so
 * ComfyUI opens it too. Files are numbered ({@code prefix_00001.png}) and never overwrite one
 * another, even when two studios save into the same folder at once.
 */
public final class SaveImage implements NodeType {
  public static final String WORKFLOW_CHUNK = PngText.WORKFLOW_KEY;
  static final InPort<String> PREFIX = InPort.text("filename_prefix", "latentstudio")
      .tooltip("file names start with this; may include a subfolder, e.g. portraits/cat");

  @Override
  public NodeSchema schema() {
    return NodeSchema.of("SaveImage", "Save Image", "image", List.of(Ports.IMAGES_IN, PREFIX), List.of())
        .asOutputNode();
  }

  @Override
  public Outputs evaluate(Inputs in, ExecContext ctx) throws Exception {
    ImageBatch images = in.get(Ports.IMAGES_IN);
    String prefix = in.get(PREFIX).isBlank() ? "latentstudio" : in.get(PREFIX);
    OutputFolder folder = OutputFolder.resolve(ctx.settings().outputDir(), prefix);
    Map<String, String> text = new LinkedHashMap<>();
    if (!ctx.workflowJson().isEmpty()) {
      text.put(WORKFLOW_CHUNK, latin1Json(ctx.workflowJson()));
    }
    ctx.pictureText().forEach((keyword, json) -> text.putIfAbsent(keyword, latin1Json(json)));
    List<RgbImage> pictures = images.toRgbList();
    List<Path> saved = new ArrayList<>();
    try {
      for (RgbImage picture : pictures) {
        saved.add(saveNumbered(ctx.service(FileNumbers.class), folder.dir(), folder.stem(), picture, text));
      }
    } catch (IOException e) {
      throw new NodeException("cannot save into " + folder.dir() + ": " + IoErrors.reason(e)
          + "; choose an output folder you can write to", e);
    }
    return Outputs.none().withDisplay(Display.images(pictures, saved));
  }

  /**
   * PNG tEXt chunks are Latin-1. Characters beyond it can only sit inside JSON strings, where a
   * {@code \\uXXXX} escape means the same, so escaping them keeps the workflow in a plain tEXt chunk that
   * every PNG reader (and ComfyUI-style tools) can read.
   */
  public static String latin1Json(String json) {
    StringBuilder sb = null;
    for (int i = 0; i < json.length(); i++) {
      char ch = json.charAt(i);
      if (ch > 0xff) {
        if (sb == null) {
          sb = new StringBuilder(json.length() + 16).append(json, 0, i);
        }
        sb.append(String.format("\\u%04x", (int) ch));
      } else if (sb != null) {
        sb.append(ch);
      }
    }
    return sb == null ? json : sb.toString();
  }

  /** Writes a temp file, then links it under the next free number; a link never replaces an existing file. */
  public static Path saveNumbered(FileNumbers numbers, Path dir, String stem, RgbImage picture, Map<String, String> text)
      throws IOException {
    TempFile tmp = TempFile.create(dir, stem);
    try {
      // one write: the encoder writes each chunk's length, type and CRC separately
      try (OutputStream os = new BufferedOutputStream(tmp.out(), 1 << 16)) {
        PngText.write(picture, text, os);
      }
      while (true) {
        Path target = dir.resolve(numberedName(stem, numbers.reserve(dir, stem)));
        try {
          Files.createLink(target, tmp.path());
          return target;
        } catch (FileAlreadyExistsException e) {
          continue; // someone took this number meanwhile
        } catch (UnsupportedOperationException | IOException e) {
          if (Files.exists(target)) {
            continue;
          }
          Files.move(tmp.path(), target); // file systems without hard links: no overwrite either way
          return target;
        }
      }
    } finally {
      Files.deleteIfExists(tmp.path());
    }
  }

  /** {@code stem_00042.png}, as ComfyUI names them (String.format took a tenth of a small picture's save). */
  static String numberedName(String stem, int number) {
    String digits = Integer.toString(number);
    return stem + "_" + "0".repeat(Math.max(0, 5 - digits.length())) + digits + ".png";
  }

  /**
   * The hidden file a picture is written to before it gets its name, created and opened in one call. Its name
   * is this process's id and a counter (createTempFile's secure random name took a third of a small picture's
   * save); creating it exclusively (O_EXCL, which also refuses a link put in its place) makes a name still
   * there from an earlier process merely a retry. Made rw-r--r-- (less the umask), as the hard link keeps the
   * mode: createTempFile's default, 0600, would make every saved picture private.
   */
  private record TempFile(Path path, OutputStream out) {
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final String PROCESS = Long.toString(ProcessHandle.current().pid());
    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final FileAttribute<?>[] READABLE =
        {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"))};

    static TempFile create(Path dir, String stem) throws IOException {
      FileAttribute<?>[] mode = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
          ? READABLE : new FileAttribute<?>[0];
      while (true) {
        Path path = dir.resolve("." + stem + "." + PROCESS + "-" + COUNTER.incrementAndGet() + ".png.tmp");
        try {
          return new TempFile(path, Channels.newOutputStream(Files.newByteChannel(path, CREATE, mode)));
        } catch (FileAlreadyExistsException e) {
          // left by an earlier process that had this id: take the next number
        }
      }
    }
  }
}
