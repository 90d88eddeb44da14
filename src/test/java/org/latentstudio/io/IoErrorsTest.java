package org.latentstudio.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Why a file failed, in words: Java's own message for a folder one may not write into is only a temp file's path. */
class IoErrorsTest {
  @Test
  void namesTheReasonNotTheTempFile() {
    assertEquals("permission denied", IoErrors.reason(new AccessDeniedException("/home/me/out/.x.json.1f2e.tmp")));
    assertEquals("no such file or folder", IoErrors.reason(new NoSuchFileException("/gone/x.json")));
    assertEquals("no space left on device",
        IoErrors.reason(new FileSystemException("/data/x.png", null, "No space left on device")));
    assertEquals("not a PNG picture", IoErrors.reason(new IOException("not a PNG picture")), "a message in words");
  }

  @Test
  void reasonAtNamesTheFileWhereTheMessageHasNone() {
    assertEquals("permission denied (/srv/latentstudio/input)",
        IoErrors.reasonAt(new AccessDeniedException("/srv/latentstudio/input")));
    assertEquals("not a PNG picture", IoErrors.reasonAt(new IOException("not a PNG picture")));
  }

  /** What the file system itself throws, as a user meets it: writing where a folder stands. */
  @Test
  void aRealFailure(@TempDir Path tmp) throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("pictures"));
    try {
      Files.writeString(folder, "x");
    } catch (IOException e) {
      assertEquals("is a directory", IoErrors.reason(e));
      return;
    }
    throw new AssertionError("writing over a folder did not fail");
  }
}
