package org.latentstudio.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.latentstudio.io.IoErrors;
import org.latentstudio.weights.PickleMachine.PickleException;
import org.latentstudio.weights.TorchGlobals.TensorRef;

/**
 * A PyTorch checkpoint ({@code .ckpt}, {@code .pt}, {@code .pth}, {@code .bin}) in torch.save's zip format
 * (PyTorch 1.6 and later), read with the safety of {@code torch.load(weights_only=True)}: the pickle may only
 * refer to the tensor types in {@link TorchGlobals}; any other global, such as {@code posix.system}, refuses
 * the file with its name. Nothing is built but dicts, lists and tensor locations, and nothing is ever run.
 *
 * <p>Layout: one folder (its name is free) holding {@code data.pkl}, the pickled object; {@code data/<key>},
 * one uncompressed entry per storage; {@code version}; and, since PyTorch 2.1, {@code byteorder}. Tensors
 * are not copied: each {@link StoredTensor} points at its bytes inside the storage's zip entry.
 *
 * <p>The tensors are the state dict: the top-level dict, or its {@code "state_dict"} entry as in Lightning
 * and original Stable Diffusion checkpoints. Nested dicts give dotted names. The top level's other scalar
 * entries ({@code global_step}, {@code epoch}...) are the {@link #metadata()}.
 */
public final class TorchCheckpointFile {
  /** The pickle of a Stable Diffusion checkpoint is under 1 MB; a full training checkpoint a few MB. */
  static final int MAX_PICKLE_BYTES = 64 << 20;
  private static final int MAX_NESTING = 32;
  /** Dict entries the walk for tensors may visit: an SD checkpoint has about 1 200, a full training one 5 000. */
  private static final int MAX_WALKED_ENTRIES = 1 << 19;

  private static final String CONVERT = " Convert it to .safetensors with PyTorch (pip install torch safetensors); "
      + "weights_only=True reads the weights without running any code:\n";
  private static final String UNSAFE = " A .ckpt may carry code; Latent Studio reads only tensors and refuses "
      + "every other global, as torch.load(weights_only=True) does, so nothing from the file is ever run or "
      + "built. Use the model's .safetensors version instead. If there is none and you trust where the file "
      + "comes from, convert it in a throwaway Python environment (weights_only=False runs the file's code):\n";

  /**
   * The command that converts {@code file} to a .safetensors file beside it: the state dict's tensors, made
   * contiguous and unshared as safetensors requires. The file's own path is filled in when the shell and
   * Python can take it as it is.
   */
  static String conversion(Path file, boolean weightsOnly) {
    String in = file.toString();
    String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    String out = file.resolveSibling(stem + ".safetensors").toString();
    if (!(in + out).matches("[\\w ./:+,=@%~-]+")) {
      in = "model.ckpt";
      out = "model.safetensors";
    }
    return "python -c \"import torch, safetensors.torch as st; sd = torch.load('" + in + "', map_location='cpu', "
        + "weights_only=" + (weightsOnly ? "True" : "False") + "); sd = sd.get('state_dict', sd); st.save_file("
        + "{k: v.contiguous().clone() for k, v in sd.items() if isinstance(v, torch.Tensor)}, '" + out + "')\"";
  }

  private final Path file;
  private final WeightSet tensors;
  private final Map<String, String> metadata;

  private TorchCheckpointFile(Path file, WeightSet tensors, Map<String, String> metadata) {
    this.file = file;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  public static TorchCheckpointFile open(Path file) throws WeightFileException {
    Path abs = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(abs)) {
      throw new WeightFileException(abs, Files.exists(abs) ? "is not a file" : "does not exist");
    }
    try (FileChannel ch = FileChannel.open(abs, StandardOpenOption.READ)) {
      return read(abs, ZipDirectory.Source.of(ch));
    } catch (IOException e) {
      throw new WeightFileException(abs, "cannot be read (" + IoErrors.reason(e) + ")", e);
    }
  }

  /** Reads a checkpoint from {@code source}, the content of {@code file} (tests give bytes in memory). */
  static TorchCheckpointFile read(Path file, ZipDirectory.Source source) throws IOException, WeightFileException {
    checkMagic(file, source);
    ZipDirectory zip;
    try {
      zip = ZipDirectory.read(source);
    } catch (ZipDirectory.FormatException e) {
      throw new WeightFileException(file, e.getMessage());
    }
    return new Reader(file, zip).read();
  }

  /** torch.save's zip starts with a zip entry; its older format is a bare pickle stream (PROTO 2 first). */
  private static void checkMagic(Path file, ZipDirectory.Source source) throws IOException, WeightFileException {
    ByteBuffer head = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
    while (head.hasRemaining() && source.read(head, head.position()) > 0) {
      // up to 9 bytes: a zip's signature, a pickle's PROTO, or a safetensors header length and its '{'
    }
    int n = head.position();
    if (n >= 4 && head.getInt(0) == 0x04034b50) {
      return;
    }
    if (n >= 2 && (head.get(0) & 0xff) == 0x80 && head.get(1) >= 2 && head.get(1) <= 5) {
      throw new WeightFileException(file, "is in the older PyTorch format (torch.save before PyTorch 1.6, or "
          + "with _use_new_zipfile_serialization=False), which puts the tensors after several pickles in one "
          + "stream. Latent Studio reads the zip format, where each storage is an entry of its own that ONNX "
          + "Runtime reads in place." + CONVERT + conversion(file, true));
    }
    if (n == 9 && head.get(8) == '{' && head.getLong(0) > 1 && head.getLong(0) < SafetensorsHeader.MAX_HEADER_BYTES) {
      throw new WeightFileException(file, "is a safetensors file, not a PyTorch checkpoint: rename it to "
          + ".safetensors");
    }
    throw new WeightFileException(file, n == 0 ? "is empty" : "is not a PyTorch checkpoint: it does not start "
        + "like the zip archive torch.save writes");
  }

  public Path file() {
    return file;
  }

  /** The state dict's tensors, pointing into the file's uncompressed storage entries. */
  public WeightSet tensors() {
    return tensors;
  }

  /** The top level's scalar entries beside the state dict (global_step, epoch...), as Python prints them. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** One read: finds the pickle, runs it under the allow-list and locates the state dict's tensors. */
  private static final class Reader {
    private final Path file;
    private final ZipDirectory zip;
    private String folder;
    private String pickleEntry;
    /** Dict entries walked so far: a dict reached by many paths is walked each time, so this bounds the walk. */
    private long visited;

    Reader(Path file, ZipDirectory zip) {
      this.file = file;
      this.zip = zip;
    }

    TorchCheckpointFile read() throws IOException, WeightFileException {
      findFolder();
      checkByteOrder();
      checkVersion();
      Object root;
      try {
        root = PickleMachine.run(content(pickleEntry, MAX_PICKLE_BYTES), new TorchGlobals());
      } catch (PickleException e) {
        throw new WeightFileException(file, e.isRefusal()
            ? "is refused: its pickle (" + pickleEntry + ", byte " + e.position() + ") " + e.getMessage() + "."
                + UNSAFE + conversion(file, false)
            : "is damaged: its pickle (" + pickleEntry + ", byte " + e.position() + ") " + e.getMessage()
                + ". Get the file again.");
      }
      if (!(root instanceof Pickled.Dict top)) {
        throw new WeightFileException(file, "holds " + Pickled.typeName(root) + ", not a state dict (a dict of "
            + "tensors); torch.save was given something else.");
      }
      Pickled.Dict stateDict = top.get("state_dict") instanceof Pickled.Dict sd ? sd : top;
      Map<String, StoredTensor> out = new LinkedHashMap<>();
      collect(stateDict, "", out, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
      if (out.isEmpty()) {
        throw new WeightFileException(file, "holds no tensors" + (stateDict == top ? "" : " in its state_dict")
            + "; its top-level entries are " + abbreviate(keys(top)));
      }
      return new TorchCheckpointFile(file, new WeightSet(file.toString(), out), metadata(top));
    }

    private void findFolder() throws WeightFileException {
      List<String> pickles = new ArrayList<>();
      for (String name : zip.entries().keySet()) {
        int slash = name.indexOf('/');
        if (slash > 0 && name.indexOf('/', slash + 1) < 0 && name.endsWith("/data.pkl")) {
          pickles.add(name);
        }
      }
      if (pickles.size() != 1) {
        throw new WeightFileException(file, pickles.isEmpty()
            ? "is a zip archive but not a PyTorch checkpoint: it has no <folder>/data.pkl entry"
            : "holds " + pickles.size() + " checkpoints (" + pickles + "); torch.save writes one");
      }
      pickleEntry = pickles.getFirst();
      folder = pickleEntry.substring(0, pickleEntry.indexOf('/') + 1);
      if (zip.entries().containsKey(folder + "constants.pkl")) {
        throw new WeightFileException(file, "is a TorchScript program (torch.jit.save), which holds code, not a "
            + "checkpoint of weights; Latent Studio reads only weights. Save the model's state_dict() with "
            + "torch.save, or as .safetensors.");
      }
    }

    /** PyTorch 2.1+ records the writer's byte order; older files are little-endian (all x86 and ARM). */
    private void checkByteOrder() throws IOException, WeightFileException {
      if (!zip.entries().containsKey(folder + "byteorder")) {
        return;
      }
      String order = new String(content(folder + "byteorder", 64), StandardCharsets.US_ASCII).strip();
      if (order.equals("big")) {
        throw new WeightFileException(file, "was written on a big-endian machine (its byteorder entry says "
            + "'big'); Latent Studio and ONNX Runtime read little-endian weights straight from the file." + CONVERT
            + conversion(file, true));
      }
      if (!order.equals("little")) {
        throw new WeightFileException(file, "has a byteorder entry that says '" + abbreviate(order) + "', not "
            + "'little' or 'big': the file is damaged. Get it again.");
      }
    }

    /** The archive format version torch writes ("3" since PyTorch 1.6); read so damage shows early. */
    private void checkVersion() throws IOException, WeightFileException {
      String entry = zip.entries().containsKey(folder + "version") ? folder + "version"
          : zip.entries().containsKey(folder + ".data/version") ? folder + ".data/version" : null;
      if (entry == null) {
        throw new WeightFileException(file, "has no " + folder + "version entry, which torch.save always "
            + "writes: it is not a PyTorch checkpoint, or it is damaged");
      }
      String version = new String(content(entry, 64), StandardCharsets.US_ASCII).strip();
      if (!version.matches("[0-9]{1,4}") || Integer.parseInt(version) == 0) {
        throw new WeightFileException(file, "has the format version '" + abbreviate(version) + "', which no "
            + "PyTorch writes: the file is damaged. Get it again.");
      }
    }

    private byte[] content(String entry, int maxBytes) throws IOException, WeightFileException {
      try {
        return zip.content(zip.entries().get(entry), maxBytes);
      } catch (ZipDirectory.FormatException e) {
        throw new WeightFileException(file, e.getMessage());
      }
    }

    /** Adds the tensors of {@code dict}, nested dicts under dotted names; other values are not weights. */
    private void collect(Pickled.Dict dict, String prefix, Map<String, StoredTensor> out, Set<Object> path,
        int depth) throws WeightFileException {
      if (depth > MAX_NESTING || !path.add(dict)) {
        throw new WeightFileException(file, "has dicts nested " + (depth > MAX_NESTING ? "over " + MAX_NESTING
            + " deep" : "inside themselves") + " under '" + abbreviate(prefix) + "', which no state dict has: "
            + "the file is damaged or crafted");
      }
      if ((visited += dict.size()) > MAX_WALKED_ENTRIES) {
        throw new WeightFileException(file, "reaches more than " + MAX_WALKED_ENTRIES + " entries through "
            + "its nested dicts (counting a dict each time it is reached), far more than a state dict: the file is "
            + "damaged or crafted");
      }
      for (Map.Entry<Object, Object> e : dict.entries()) {
        String key = Pickled.scalarText(e.getKey());
        if (key == null) {
          continue;
        }
        String name = prefix + key;
        if (e.getValue() instanceof TensorRef t) {
          if (out.put(name, locate(name, t)) != null) {
            throw new WeightFileException(file, "has two tensors named '" + abbreviate(name) + "'");
          }
        } else if (e.getValue() instanceof Pickled.Dict nested) {
          collect(nested, name + ".", out, path, depth + 1);
        }
      }
      path.remove(dict);
    }

    /** Where a tensor's bytes are, after checking them against its storage entry. */
    private StoredTensor locate(String name, TensorRef t) throws WeightFileException {
      TorchGlobals.StorageRef s = t.storage();
      DType dtype = s.dtype();
      String entryName = folder + "data/" + s.key();
      ZipDirectory.Entry entry = zip.entries().get(entryName);
      String tensor = "tensor '" + abbreviate(name) + "' (" + dtype.torchName() + " " + Arrays.toString(t.size())
          + ")";
      if (entry == null) {
        throw new WeightFileException(file, tensor + " is in storage " + abbreviate(s.key()) + ", but the file has "
            + "no entry " + abbreviate(entryName) + ": it is damaged or truncated. Get it again.");
      }
      if (entry.method() != ZipDirectory.STORED) {
        throw new WeightFileException(file, tensor + " is in zip entry " + entryName + ", which is compressed; "
            + "torch.save never compresses, so another tool re-zipped the file, and ONNX Runtime can only read "
            + "uncompressed weights in place." + CONVERT + conversion(file, true));
      }
      long storageBytes = s.elements() > Long.MAX_VALUE / dtype.bytes() ? -1 : s.elements() * dtype.bytes();
      if (storageBytes != entry.size()) {
        throw new WeightFileException(file, tensor + " is in storage " + s.key() + ", declared as " + s.elements()
            + " " + dtype.torchName() + " values (" + storageBytes + " bytes), but its zip entry holds "
            + entry.size() + " bytes: the file is damaged. Get it again.");
      }
      long elements = t.elements();
      if (elements < 0 || t.offset() > s.elements() || elements > s.elements() - t.offset()) {
        throw new WeightFileException(file, tensor + " reaches past the end of its storage (offset "
            + t.offset() + " + " + elements + " values > " + s.elements() + "): the file is damaged or crafted");
      }
      if (!t.isContiguous()) {
        throw new WeightFileException(file, tensor + " is not stored in row-major order (its strides are "
            + Arrays.toString(t.stride()) + "; a transposed or expanded view was saved). ONNX Runtime reads "
            + "weights straight from the file in row-major order, so Latent Studio cannot use it. Save the "
            + "tensors with .contiguous(), or convert the file to .safetensors, which makes them contiguous:\n"
            + conversion(file, true));
      }
      return new StoredTensor(name, dtype, t.size(), file, entry.dataStart() + t.offset() * dtype.bytes(),
          elements * dtype.bytes());
    }

    private static Map<String, String> metadata(Pickled.Dict top) {
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<Object, Object> e : top.entries()) {
        String key = Pickled.scalarText(e.getKey());
        String value = Pickled.scalarText(e.getValue());
        if (key != null && value != null) {
          out.put(key, value);
        }
      }
      return Collections.unmodifiableMap(out);
    }

    private static String keys(Pickled.Dict d) {
      List<String> names = new ArrayList<>();
      for (Map.Entry<Object, Object> e : d.entries()) {
        names.add(String.valueOf(Pickled.scalarText(e.getKey())));
        if (names.size() == 8) {
          names.add("...");
          break;
        }
      }
      return names.toString();
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "…";
  }
}
