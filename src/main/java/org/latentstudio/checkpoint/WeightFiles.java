package org.latentstudio.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.latentstudio.weights.SafetensorsFile;
import org.latentstudio.weights.TorchCheckpointFile;
import org.latentstudio.weights.WeightFileException;
import org.latentstudio.weights.WeightSet;

/** Opens a weight file of any format Latent Studio reads, by its name. */
final class WeightFiles {
  private WeightFiles() {}

  static WeightSet open(Path file) throws CheckpointException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      if (name.endsWith(".safetensors")) {
        return SafetensorsFile.open(file).tensors();
      }
      if (name.endsWith(".safetensors.index.json")) {
        return sharded(file);
      }
      if (name.endsWith(".ckpt") || name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".bin")) {
        // the restricted reader: tensors only, any other pickle global refused by name
        return TorchCheckpointFile.open(file).tensors();
      }
    } catch (WeightFileException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
    throw new CheckpointException(file + " is not a weight file Latent Studio reads (.safetensors or .ckpt)");
  }

  /** diffusers' sharded weights: an index naming the shard file of each tensor. */
  private static WeightSet sharded(Path index) throws CheckpointException, WeightFileException {
    ConfigReader r = ConfigReader.json(index);
    JsonNode map = r.object("weight_map").node();
    TreeSet<String> shards = new TreeSet<>();
    for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
      JsonNode v = it.next();
      if (!v.isTextual() || v.asText().contains("/") || v.asText().contains("\\")) {
        throw new CheckpointException(index + ": weight_map values should be shard file names in the same folder");
      }
      shards.add(v.asText());
    }
    Map<String, org.latentstudio.weights.StoredTensor> all = new LinkedHashMap<>();
    for (String shard : shards) {
      Path f = index.resolveSibling(shard);
      if (!Files.isRegularFile(f)) {
        throw new CheckpointException(index + " names the shard " + shard + ", which is missing; download it too");
      }
      all.putAll(SafetensorsFile.open(f).tensors().byName());
    }
    return new WeightSet(index.toString(), all);
  }
}
