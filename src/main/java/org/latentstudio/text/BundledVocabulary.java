package org.latentstudio.text;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;

/** Finds the CLIP vocabulary packaged with the application, in the classes folder or inside the jar. */
final class BundledVocabulary {
  static final String RESOURCE = "/org/latentstudio/text/clip/vocab.json";

  private BundledVocabulary() {}

  static Path dir() throws TokenizerFormatException {
    URL url = BundledVocabulary.class.getResource(RESOURCE);
    if (url == null) {
      throw new TokenizerFormatException("this build of Latent Studio has no bundled CLIP vocabulary (it is copied "
          + "from ../shared/clip-tokenizer at build time), so a checkpoint without a tokenizer cannot be used. Give "
          + "the checkpoint a config folder with tokenizer/vocab.json and tokenizer/merges.txt");
    }
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        try {
          FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          // opened before: Path.of below finds it
        }
      }
      return Path.of(uri).getParent();
    } catch (URISyntaxException | IOException e) {
      throw new TokenizerFormatException("cannot read the bundled CLIP vocabulary: " + e.getMessage(), e);
    }
  }
}
