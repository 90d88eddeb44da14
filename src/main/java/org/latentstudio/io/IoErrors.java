package org.latentstudio.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file could not be read or written, in words. Java's file-system exceptions carry only the path as their
 * message ("error: /home/me/out/.x.json.1f2e.tmp" for a folder one may not write into), so a message built on
 * getMessage() named a temp file and no reason.
 */
public final class IoErrors {
  private IoErrors() {}

  public static String reason(IOException e) {
    String reason = switch (e) {
      case AccessDeniedException denied -> "permission denied";
      case NoSuchFileException missing -> "no such file or folder";
      case NotDirectoryException notFolder -> notFolder.getFile() + " is a file, not a folder";
      case FileAlreadyExistsException exists -> "it exists already";
      case FileSystemException other when other.getReason() != null -> other.getReason(); // "No space left on device"
      default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    };
    return reason.isEmpty() ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
  }

  /** {@link #reason}, and the file it concerns where the exception names one: for a message that names none. */
  public static String reasonAt(IOException e) {
    return e instanceof FileSystemException f && f.getFile() != null ? reason(e) + " (" + f.getFile() + ")"
        : reason(e);
  }
}
