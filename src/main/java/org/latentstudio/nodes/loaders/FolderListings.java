package org.latentstudio.nodes.loaders;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What a model folder holds, for the stamp every run takes of it ({@link CheckpointLoader#fingerprint}), without
 * reading the folder each time: reading it took most of a small model's stamp. A listing is kept with the
 * folder's own date, which adding, removing or renaming anything in it changes; the files' own sizes and dates
 * are still read each run. As git does with its index, a listing is kept only once the folder's date is
 * {@link #SETTLED} old: on a file system with coarse dates a change made in the same tick as the listing would
 * leave the date as it was.
 */
final class FolderListings {
  static final long SETTLED = TimeUnit.SECONDS.toMillis(3);
  private static final int MAX_KEPT = 256;

  /**
   * A folder's regular files and sub-folders, links followed (a Hugging Face cache folder is links to blobs).
   * {@code identity} is the folder's file key (device and inode), so a link retargeted to another folder of the
   * same date is read again.
   */
  record Listing(Object identity, FileTime modified, List<Path> files, List<Path> folders) {}

  private final Map<Path, Listing> kept = new ConcurrentHashMap<>();

  Listing list(Path dir) throws IOException {
    BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class);
    FileTime modified = attrs.lastModifiedTime();
    Listing listing = kept.get(dir);
    if (listing != null && listing.modified().equals(modified) && Objects.equals(listing.identity(), attrs.fileKey())) {
      return listing;
    }
    listing = read(dir, attrs.fileKey(), modified);
    if (System.currentTimeMillis() - modified.toMillis() >= SETTLED) {
      if (kept.size() >= MAX_KEPT) {
        kept.clear();
      }
      kept.put(dir, listing);
    }
    return listing;
  }

  private static Listing read(Path dir, Object identity, FileTime modified) throws IOException {
    List<Path> files = new ArrayList<>();
    List<Path> folders = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
          continue; // a dangling link is no file of the model
        }
        if (attrs.isRegularFile()) {
          files.add(p);
        } else if (attrs.isDirectory()) {
          folders.add(p);
        }
      }
    }
    return new Listing(identity, modified, List.copyOf(files), List.copyOf(folders));
  }
}
