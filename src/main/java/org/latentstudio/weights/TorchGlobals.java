package org.latentstudio.weights;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.latentstudio.weights.PickleMachine.PickleException;
import org.latentstudio.weights.Pickled.Tuple;

/**
 * What a state-dict pickle may refer to: the allow-list of torch's {@code weights_only=True} unpickler
 * ({@code torch/_weights_only_unpickler.py}, 1.13 and 2.x), cut down to what a dense state dict uses, and
 * what each of those means here. Storages become {@link StorageRef}s and tensors {@link TensorRef}s, which say
 * where the bytes are; nothing else is built, and any other global is refused with its name.
 *
 * <p>Allowed: {@code collections.OrderedDict}; {@code torch._utils._rebuild_tensor}, {@code _rebuild_tensor_v2},
 * {@code _rebuild_parameter}, {@code _rebuild_parameter_with_state}; {@code torch._tensor._rebuild_from_type_v2}
 * for plain tensors and parameters; {@code torch.nn.parameter.Parameter}, {@code torch.Tensor}, {@code
 * torch.Size}; the storages {@code torch.FloatStorage}, {@code HalfStorage}, {@code BFloat16Storage}, {@code
 * DoubleStorage}, {@code LongStorage}, {@code IntStorage}, {@code ShortStorage}, {@code CharStorage}, {@code
 * ByteStorage}, {@code BoolStorage}; the dtypes {@code torch.float32} and the like (inert names); and, as
 * torch 2.x allows for plain data, {@code _codecs.encode} (bytes) and {@code builtins.set}. Python 2's module
 * name {@code __builtin__} counts as {@code builtins}, as in torch.
 *
 * <p>Refused although torch allows them: sparse, quantized, meta and complex tensors, which are no weights
 * the compiler can use.
 */
final class TorchGlobals implements PickleMachine.Host {
  /** A tensor may have at most this many dimensions (torch's own limit is 64). */
  static final int MAX_RANK = 64;

  /** A storage class such as {@code torch.HalfStorage}, with the element type it holds. */
  record StorageType(String name, DType dtype) {
    @Override
    public String toString() {
      return "torch." + name;
    }
  }

  /** A storage named by a persistent id: the zip entry {@code data/<key>}, holding {@code elements} values. */
  record StorageRef(String key, DType dtype, long elements) {
    @Override
    public String toString() {
      return "storage " + key;
    }
  }

  /**
   * A tensor as torch rebuilds it: a view of {@code size} and {@code stride} (in elements) from {@code offset}
   * into a storage. Checked against the storage, and for row-major order, when its name is known.
   */
  record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    TensorRef {
      size = size.clone();
      stride = stride.clone();
    }

    @Override
    public long[] size() {
      return size.clone();
    }

    @Override
    public long[] stride() {
      return stride.clone();
    }

    /** Element count, or -1 if it overflows a long. */
    long elements() {
      long n = 1;
      for (long d : size) {
        if (d != 0 && n > Long.MAX_VALUE / d) {
          return -1;
        }
        n *= d;
      }
      return n;
    }

    /** Row-major with no gaps, as torch's {@code is_contiguous()}: dimensions of size 1 may have any stride. */
    boolean isContiguous() {
      if (elements() == 0) {
        return true;
      }
      long expected = 1;
      for (int i = size.length - 1; i >= 0; i--) {
        if (size[i] != 1 && stride[i] != expected) {
          return false;
        }
        expected *= size[i];
      }
      return true;
    }

    @Override
    public String toString() {
      return "tensor " + Arrays.toString(size) + " in " + storage;
    }
  }

  /** A global that is a name only, never called (a dtype, the class argument of {@code _rebuild_from_type_v2}). */
  record Inert(String name) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The callables of the allow-list, by their Python names. */
  private enum Callable {
    ORDERED_DICT("collections.OrderedDict"),
    REBUILD_TENSOR("torch._utils._rebuild_tensor"),
    REBUILD_TENSOR_V2("torch._utils._rebuild_tensor_v2"),
    REBUILD_PARAMETER("torch._utils._rebuild_parameter"),
    REBUILD_PARAMETER_WITH_STATE("torch._utils._rebuild_parameter_with_state"),
    REBUILD_FROM_TYPE_V2("torch._tensor._rebuild_from_type_v2"),
    PARAMETER("torch.nn.parameter.Parameter"),
    SIZE("torch.Size"),
    CODECS_ENCODE("_codecs.encode"),
    SET("builtins.set");

    private final String pythonName;

    Callable(String pythonName) {
      this.pythonName = pythonName;
    }

    @Override
    public String toString() {
      return pythonName;
    }
  }

  private static final Map<String, Object> ALLOWED = allowed();

  private static Map<String, Object> allowed() {
    Map<String, Object> m = new HashMap<>();
    for (Callable c : Callable.values()) {
      m.put(c.pythonName, c);
    }
    m.put("torch.Tensor", new Inert("torch.Tensor"));
    for (String dtype : List.of("float32", "float16", "bfloat16", "float64", "int64", "int32", "int16", "int8",
        "uint8", "bool")) {
      m.put("torch." + dtype, new Inert("torch." + dtype));
    }
    Map<String, DType> storages = Map.of("FloatStorage", DType.F32, "HalfStorage", DType.F16, "BFloat16Storage",
        DType.BF16, "DoubleStorage", DType.F64, "LongStorage", DType.I64, "IntStorage", DType.I32, "ShortStorage",
        DType.I16, "CharStorage", DType.I8, "ByteStorage", DType.U8, "BoolStorage", DType.BOOL);
    storages.forEach((name, dtype) -> m.put("torch." + name, new StorageType(name, dtype)));
    return Map.copyOf(m);
  }

  private static final Set<Callable> TENSOR_REBUILDERS = Set.of(Callable.REBUILD_TENSOR, Callable.REBUILD_TENSOR_V2,
      Callable.REBUILD_PARAMETER, Callable.REBUILD_PARAMETER_WITH_STATE);

  /** Thrown for a global outside the allow-list; carries its name as the file wrote it. */
  static PickleException refusedGlobal(String fullName) {
    return PickleException.refusal("refers to the Python global '" + fullName + "', which is not one of the "
        + "tensor types Latent Studio reads");
  }

  @Override
  public Object global(String module, String name) throws PickleException {
    String mapped = module.equals("__builtin__") ? "builtins" : module;
    Object value = ALLOWED.get(mapped + "." + name);
    if (value == null) {
      throw refusedGlobal(module + "." + name);
    }
    return value;
  }

  @Override
  public Object persistentLoad(Object pid) throws PickleException {
    // torch.save writes ('storage', storage class, key, location, element count)
    if (pid instanceof Tuple t && t.size() > 0 && t.get(0) instanceof String kind && !kind.equals("storage")) {
      throw PickleException.refusal("has a persistent id of the kind '" + kind + "'; torch stores only storages "
          + "so");
    }
    if (!(pid instanceof Tuple t) || t.size() != 5 || !"storage".equals(t.get(0))) {
      throw new PickleException("has a persistent id that is not a storage ('storage', type, key, location, "
          + "size) but " + Pickled.typeName(pid));
    }
    if (!(t.get(1) instanceof StorageType type)) {
      throw PickleException.refusal("has a storage of type " + Pickled.typeName(t.get(1)) + ", not a storage "
          + "class");
    }
    if (!(t.get(2) instanceof String key) || key.isEmpty() || key.contains("/") || key.contains("\\")) {
      throw new PickleException("has a storage whose key is not a file name");
    }
    if (!(t.get(3) instanceof String)) {
      throw new PickleException("has a storage whose location is not a str");
    }
    long elements = nonNegativeLong(t.get(4), "a storage's size");
    return new StorageRef(key, type.dtype(), elements);
  }

  @Override
  public void build(Object target, Object state) throws PickleException {
    // torch's module state dicts are OrderedDicts with a _metadata attribute (versions); it is not needed
    if (target instanceof Pickled.Dict && (state instanceof Pickled.Dict || state == Pickled.None.NONE)) {
      return;
    }
    throw PickleException.refusal("sets the state of " + Pickled.typeName(target) + " (BUILD); a state dict "
        + "only does that for an OrderedDict's attributes");
  }

  @Override
  public Object call(Object callable, Tuple args) throws PickleException {
    if (!(callable instanceof Callable c)) {
      // an allowed name that is no function (torch.Tensor, a storage class, a dtype) is a refusal; data is damage
      boolean allowedName = callable instanceof Inert || callable instanceof StorageType;
      String problem = "calls " + Pickled.typeName(callable) + ", which is not a function a state dict calls";
      throw allowedName ? PickleException.refusal(problem) : new PickleException(problem);
    }
    return switch (c) {
      case ORDERED_DICT -> orderedDict(args);
      case REBUILD_TENSOR -> tensor(args, 4, 4);
      case REBUILD_TENSOR_V2 -> tensor(args, 6, 7);
      case REBUILD_PARAMETER -> parameter(args, 3);
      case REBUILD_PARAMETER_WITH_STATE -> parameter(args, 4);
      case PARAMETER -> parameter(args, args.size() == 1 ? 1 : 2);
      case REBUILD_FROM_TYPE_V2 -> fromType(args);
      case SIZE -> size(args);
      case CODECS_ENCODE -> encode(args);
      case SET -> set(args);
    };
  }

  private static Object orderedDict(Tuple args) throws PickleException {
    Pickled.Dict d = new Pickled.Dict();
    if (args.size() == 0) {
      return d;
    }
    if (args.size() == 1 && args.get(0) instanceof Pickled.Sequence pairs && !pairs.isSet) {
      for (Object pair : pairs.items) {
        List<Object> kv = pair instanceof Tuple t ? t.items()
            : pair instanceof Pickled.Sequence s && !s.isSet ? s.items : List.of();
        if (kv.size() != 2) {
          throw new PickleException("builds an OrderedDict from " + Pickled.typeName(pair) + ", not a pair");
        }
        d.put(kv.get(0), kv.get(1));
      }
      return d;
    }
    throw new PickleException("builds an OrderedDict from " + args.size() + " arguments");
  }

  /** {@code _rebuild_tensor(storage, offset, size, stride)}; v2 adds requires_grad, hooks and metadata. */
  private static TensorRef tensor(Tuple args, int minArgs, int maxArgs) throws PickleException {
    arity(args, minArgs, maxArgs, "a tensor");
    if (!(args.get(0) instanceof StorageRef storage)) {
      throw new PickleException("rebuilds a tensor from " + Pickled.typeName(args.get(0)) + ", not a storage");
    }
    long offset = nonNegativeLong(args.get(1), "a tensor's storage offset");
    long[] size = longs(args.get(2), "a tensor's size");
    long[] stride = longs(args.get(3), "a tensor's stride");
    if (size.length != stride.length) {
      throw new PickleException("has a tensor with " + size.length + " sizes but " + stride.length + " strides");
    }
    return new TensorRef(storage, offset, size, stride);
  }

  /** {@code _rebuild_parameter(data, requires_grad, hooks[, state])}: the tensor is the data. */
  private static TensorRef parameter(Tuple args, int arity) throws PickleException {
    arity(args, arity, arity, "a parameter");
    if (args.get(0) instanceof TensorRef t) {
      return t;
    }
    throw new PickleException("makes a parameter of " + Pickled.typeName(args.get(0)) + ", not a tensor");
  }

  /** {@code _rebuild_from_type_v2(func, type, args, state)}, for tensors that carry Python attributes. */
  private Object fromType(Tuple args) throws PickleException {
    arity(args, 4, 4, "a typed tensor");
    Object type = args.get(1);
    boolean plain = type instanceof Inert i && i.name().equals("torch.Tensor") || type == Callable.PARAMETER;
    if (!plain) {
      throw PickleException.refusal("rebuilds a tensor as " + Pickled.typeName(type) + "; only torch.Tensor and "
          + "torch.nn.Parameter are read");
    }
    if (!(args.get(0) instanceof Callable f && TENSOR_REBUILDERS.contains(f)) || !(args.get(2) instanceof Tuple a)) {
      throw PickleException.refusal("rebuilds a typed tensor with " + Pickled.typeName(args.get(0)) + "; only "
          + "torch's tensor rebuild functions are read");
    }
    return call(f, a);
  }

  private static Tuple size(Tuple args) throws PickleException {
    arity(args, 1, 1, "a torch.Size");
    longs(args.get(0), "a torch.Size");
    return (Tuple) args.get(0);
  }

  /** How protocol 2 writes bytes: {@code _codecs.encode(text, 'latin1')}. */
  private static byte[] encode(Tuple args) throws PickleException {
    arity(args, 2, 2, "bytes");
    if (args.get(0) instanceof String s && args.get(1) instanceof String enc
        && (enc.equals("latin1") || enc.equals("latin-1"))) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) > 0xff) {
          throw new PickleException("encodes a non-Latin-1 str as Latin-1");
        }
      }
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }
    throw PickleException.refusal("calls _codecs.encode otherwise than for bytes (text, 'latin1')");
  }

  private static Pickled.Sequence set(Tuple args) throws PickleException {
    Pickled.Sequence set = new Pickled.Sequence(true);
    if (args.size() == 1 && args.get(0) instanceof Pickled.Sequence items) {
      set.items.addAll(items.items);
    } else if (args.size() != 0) {
      throw new PickleException("builds a set from " + args.size() + " arguments");
    }
    return set;
  }

  private static void arity(Tuple args, int min, int max, String what) throws PickleException {
    if (args.size() < min || args.size() > max) {
      throw new PickleException("rebuilds " + what + " from " + args.size() + " arguments, not "
          + (min == max ? min : min + " to " + max));
    }
  }

  private static long nonNegativeLong(Object v, String what) throws PickleException {
    if (v instanceof Long n && n >= 0) {
      return n;
    }
    throw new PickleException("has " + Pickled.typeName(v) + " as " + what + ", not a non-negative int");
  }

  private static long[] longs(Object v, String what) throws PickleException {
    if (!(v instanceof Tuple t)) {
      throw new PickleException("has " + Pickled.typeName(v) + " as " + what + ", not a tuple of ints");
    }
    if (t.size() > MAX_RANK) {
      throw new PickleException("has " + t.size() + " dimensions in " + what + ", more than torch allows");
    }
    List<Long> out = new ArrayList<>(t.size());
    for (Object item : t.items()) {
      out.add(nonNegativeLong(item, "an entry of " + what));
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }
}
