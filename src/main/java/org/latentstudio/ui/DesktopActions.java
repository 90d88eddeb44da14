package org.latentstudio.ui;

import java.nio.file.Path;

/** Hands files and folders to the desktop (file manager, image viewer). */
public interface DesktopActions {
  void openFolder(Path folder);

  void openFile(Path file);
}
