package org.latentstudio.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.latentstudio.compiler.CompileOptions;
import org.latentstudio.compiler.CompiledGraph;
import org.latentstudio.lora.LoraPart;
import org.latentstudio.lora.LoraPatch;
import org.latentstudio.lora.LoraTargets;

/**
 * The one place that creates and owns ONNX Runtime sessions. It picks the execution provider once (CUDA when
 * possible, else the CPU with the reason), sets the session options (all graph optimisations, one intra-op
 * thread per physical core), and keeps loaded models in a {@link SessionCache} under a memory budget.
 */
public final class OrtRuntime implements AutoCloseable {
  private final OrtEnvironment env;
  private final RuntimeSettings settings;
  private final ExecutionProvider provider;
  private final SessionCache sessions;
  private final RuntimeStats stats = new RuntimeStats();
  private final WeightOverrides overrides;
  private volatile OptimizedModels optimized;
  /** The saved-model keys of bases built only to be saved for their LoRA variants ({@link #saveBase}). */
  private final java.util.Set<String> baseSaves = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Map<String, GraphWeights> graphWeights = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, GraphWeights> eldest) {
      return size() > 16;
    }
  };

  public OrtRuntime(RuntimeSettings settings) {
    OrtTelemetry.turnOff(); // a no-op after Main's call; here for programs that start elsewhere (benchmarks)
    this.env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "latentstudio");
    this.settings = settings;
    this.provider = chooseProvider(settings);
    this.sessions = new SessionCache(this::load, OrtRuntime::footprint, settings.sessionBudgetBytes());
    // an SD1.5 LoRA of the usual layers holds 1.1 GB of UNet deltas and 0.5 GB of merged fp16 weights
    this.overrides = new WeightOverrides(Runtime.getRuntime().maxMemory() / 4, new LoraKernels(env));
  }

  public ExecutionProvider provider() {
    return provider;
  }

  /**
   * How checkpoints are compiled for this runtime: float32 (the CPU's arithmetic; fp16 files are widened once
   * when the session is created). {@code -Dlatentstudio.fp16=true} computes in float16 on CUDA. Attention is
   * ONNX Runtime's fused kernel: on a full-size SD1.5 UNet it made a CPU step 5 % faster than the spelt-out
   * MatMul/Softmax/MatMul (README, Performance); {@code -Dlatentstudio.fused.attention=false} spells it out.
   */
  public CompileOptions compileOptions() {
    return compileOptions(() -> this);
  }

  /**
   * The same, asking for the runtime only when it matters: float16 graphs are for CUDA alone, so without
   * {@code -Dlatentstudio.fp16} the options are known before ONNX Runtime has loaded (which a cold start overlaps
   * with opening the checkpoint).
   */
  public static CompileOptions compileOptions(Supplier<OrtRuntime> runtime) {
    boolean fp16 = Boolean.getBoolean("latentstudio.fp16")
        && runtime.get().provider().kind() == ExecutionProvider.Kind.CUDA;
    return new CompileOptions(fp16, !"false".equals(System.getProperty("latentstudio.fused.attention")));
  }

  public RuntimeStats stats() {
    return stats;
  }

  public RuntimeSettings settings() {
    return settings;
  }

  /** The model from {@code source}, loaded on first use and kept for later runs. Close the lease after use. */
  public ModelLease open(ModelSource source) throws ModelException {
    return new ModelLease(sessions.acquire(source));
  }

  /**
   * {@code source} with its symbolic dimensions fixed to {@code dims} when that pays: for models whose weights
   * take at most {@link #FIXED_DIMS_MAX_BYTES}. There a session builds in well under a second and the shape
   * arithmetic it folds away is a fifth of a call (tiny UNet: 0.92 → 0.75 ms); on a full-size UNet it is nothing
   * next to the convolutions, while each new size would cost a session build of many seconds and its memory.
   * {@code -Dlatentstudio.fixed.dims=false} turns it off.
   */
  public ModelSource fixingDims(ModelSource source, Map<String, Long> dims) {
    if (dims.isEmpty() || "false".equals(System.getProperty("latentstudio.fixed.dims"))
        || footprintOf(source) > FIXED_DIMS_MAX_BYTES) {
      return source.unfixed();
    }
    return new ModelSource.FixedDims(source, dims);
  }

  /** Each model's size for {@link #fixingDims}, which every sampler run asks: listing a folder is not free. */
  private final Map<String, Long> footprints = new java.util.concurrent.ConcurrentHashMap<>();

  /** See {@link #fixingDims}: the shapes pack's UNet holds 4 MB, SD1.5's 3.4 GB. */
  static final long FIXED_DIMS_MAX_BYTES = 256L << 20;

  /**
   * Intra-op threads for a session of {@code source} with {@code dims} fixed: the user's number if set; otherwise
   * one thread for a small model, whose operators take microseconds, so that waking a pool for each costs more than
   * splitting it saves (tiny models: 29–31 ms an image with one thread against 51–68 ms with two), and one thread
   * per core for a model of at least {@link #LARGE_MODEL_BYTES}, whose convolutions split well (SD1.5 at 256²:
   * 5.4–5.6 s with two threads against 10.0–10.9 s with one; README, Performance), or for a small model's session
   * whose calls work on at least {@link #SPLIT_POSITIONS} positions (the shapes pack at 256²: 0.70 s an image with
   * two threads against 0.99 s with one; a VAE's calls at any size, since they work at the picture's). One, not
   * ONNX Runtime's own choice: that was one on the 2-vCPU machine where this was measured, but is a pool of every
   * physical core elsewhere, whose idle threads do not spin here.
   */
  int threadsFor(ModelSource source, Map<String, Long> dims) {
    if (settings.intraOpThreads() != 0) {
      return settings.intraOpThreads();
    }
    return isLarge(source) || callPositions(dims) >= SPLIT_POSITIONS ? Cores.physical() : 1;
  }

  /**
   * See {@link #threadsFor}: a latent of 16×16, a 128² image. The shapes pack's calls, one thread against two:
   * at 64² the UNet 2.7 against 3.5 ms, at 96² 5.5 against 6.3 ms, at 128² 8.3 ms both, at 192² 20.7 against
   * 16.4 ms; the VAE decoder, whose work is at the picture's size, 7.1 against 5.6 ms already at 64².
   */
  static final long SPLIT_POSITIONS = 16 * 16;

  /**
   * The positions a session's calls work on, by the names of their dimensions: a UNet's latent ("height" ×
   * "width"), or a VAE's picture: the encoder's "height" × "width", the decoder's "latent_height" ×
   * "latent_width" × 64 (its picture has 8 × 8 pixels a latent position). 0 where they are not fixed.
   */
  private static long callPositions(Map<String, Long> dims) {
    if (dims.containsKey("latent_height")) {
      return dims.get("latent_height") * dims.getOrDefault("latent_width", 0L) * 64;
    }
    return dims.getOrDefault("height", 0L) * dims.getOrDefault("width", 0L);
  }

  /**
   * Whether ONNX Runtime re-packs {@code source}'s weights for its matrix kernels as the session is made. Not for
   * a large model: on SD1.5's UNet that took 1–4 s of a 13–18 s session build and 0.2–0.3 GB more at the peak,
   * while steps ran as fast without it, at 256² and 512² (README, Performance). Small models keep the default.
   */
  boolean prepacksWeights(ModelSource source) {
    return !isLarge(source);
  }

  /** A model of at least {@link #LARGE_MODEL_BYTES}: a part of a full-size checkpoint. */
  private boolean isLarge(ModelSource source) {
    return footprintOf(source) >= LARGE_MODEL_BYTES;
  }

  private long footprintOf(ModelSource source) {
    return footprints.computeIfAbsent(source.unfixed().key(), k -> footprint(source.unfixed()));
  }

  /** See {@link #threadsFor}: the shapes pack's largest model holds 4.3 MB, SD1.5's smallest (VAE encoder) 68 MB. */
  static final long LARGE_MODEL_BYTES = 32L << 20;

  /** The ONNX model in {@code file}; see {@link #open(ModelSource)}. */
  public ModelLease open(Path file) throws ModelException {
    return open(ModelSource.of(file));
  }

  /** Builds a typed view ({@link UNet}, {@link VaeDecoder}, ...) of a model on a lease. */
  @FunctionalInterface
  public interface ModelView<T> {
    T create(ModelLease lease) throws ModelException;
  }

  /**
   * Opens {@code file} and wraps it in a typed view; if the model does not fit the view (wrong inputs), the
   * lease is closed again and the view's message is thrown.
   */
  public <T> T open(ModelSource source, ModelView<T> view) throws ModelException {
    ModelLease lease = open(source);
    try {
      return view.create(lease);
    } catch (ModelException | RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  /** Unloads a model that is not in use (another variant of the UNet about to be loaded). */
  public boolean release(ModelSource source) {
    return sessions.release(source);
  }

  public void setSessionBudget(long bytes) {
    sessions.setBudget(bytes);
  }

  /** The memory for LoRA deltas and merged weights kept between session builds; a quarter of the heap at first. */
  public void setLoraCacheBudget(long bytes) {
    overrides.setBudget(bytes);
  }

  /** How many models are loaded now, and how many loads happened in all: for tests and the status bar. */
  public int loadedModels() {
    return sessions.loadedCount();
  }

  public int modelLoads() {
    return sessions.loads();
  }

  /** Time spent building sessions in all, LoRA merges included. */
  public long modelLoadNanos() {
    return sessions.loadNanos();
  }

  public boolean isLoaded(Path file) {
    return sessions.isLoaded(ModelSource.of(file));
  }

  public boolean isLoaded(ModelSource source) {
    return sessions.isLoaded(source);
  }

  /** The LoRA merges behind patched sessions, with their caches and counters. */
  public WeightOverrides weightOverrides() {
    return overrides;
  }

  /**
   * The weights of {@code source} a LoRA may change, by parameter name, read from its graph: a compiled graph is
   * built (or taken from the graph cache) first, an ONNX file is read.
   */
  public LoraTargets loraTargets(ModelSource source, LoraPart part) throws ModelException {
    return weights(source).targets(part, source.label());
  }

  GraphWeights weights(ModelSource source) throws ModelException {
    synchronized (graphWeights) {
      GraphWeights w = graphWeights.get(source.key());
      if (w == null) {
        w = switch (source) {
          case ModelSource.OnnxFile f -> GraphWeights.of(readGraph(f.path()), f.path().getParent());
          case ModelSource.Compiled c -> {
            CompiledGraph g = c.graph().get();
            yield GraphWeights.of(parse(g.onnx(), c.label()), g.weightsFolder());
          }
          case ModelSource.Patched p -> weights(p.base());
          case ModelSource.FixedDims f -> weights(f.base());
        };
        graphWeights.put(source.key(), w);
      }
      return w;
    }
  }

  /** Makes a session for the cache; the file is checked here, not at every lease (a stat per model and image). */
  private OnnxModel load(ModelSource source) throws ModelException {
    ModelSource file = source.unfixed() instanceof ModelSource.Patched p ? p.base() : source.unfixed();
    if (file instanceof ModelSource.OnnxFile onnx && !Files.isRegularFile(onnx.path())) {
      throw new ModelException("model file " + onnx.path() + " does not exist");
    }
    return source instanceof ModelSource.FixedDims f ? load(f.base(), f.dims()) : load(source, Map.of());
  }

  private OnnxModel load(ModelSource source, Map<String, Long> dims) throws ModelException {
    return switch (source) {
      case ModelSource.OnnxFile f -> loadFile(f, dims);
      case ModelSource.Compiled c -> loadCompiled(c, List.of(), dims);
      case ModelSource.Patched p -> switch (p.base()) {
        case ModelSource.Compiled c -> loadCompiled(c, p.loras(), dims);
        case ModelSource.OnnxFile f -> loadPatchedFile(f, p, dims);
        case ModelSource.Patched nested -> throw new IllegalStateException("patched sources are flattened");
        case ModelSource.FixedDims fixed -> throw new IllegalStateException("dimensions are fixed after patching");
      };
      case ModelSource.FixedDims nested -> throw new IllegalStateException("fixed dimensions are flattened");
    };
  }

  private OnnxModel loadFile(ModelSource.OnnxFile source, Map<String, Long> dims) throws ModelException {
    Path file = source.path();
    try (OrtSession.SessionOptions options = sessionOptions(source, dims)) {
      return new OnnxModel(env, env.createSession(file.toString(), options), file.toString(), stats);
    } catch (OrtException e) {
      throw new ModelException("cannot load the ONNX model " + file + ": " + firstLine(e.getMessage())
          + ". The file may be truncated or not an ONNX model; re-export or re-download it.", e);
    }
  }

  /**
   * A compiled graph's session: ONNX Runtime reads each weight from the user's file at the offset the graph
   * names (external data relative to the weights folder), so no weight file is ever copied. A large model without
   * LoRAs is saved as ONNX Runtime optimised it and opened from there the next time ({@link OptimizedModels}); a
   * LoRA variant of one opens from that saved model with only its merged weights replaced ({@link SavedVariant}).
   */
  private OnnxModel loadCompiled(ModelSource.Compiled source, List<LoraPatch> loras, Map<String, Long> dims)
      throws ModelException {
    CompiledGraph graph = source.graph().get();
    String name = graph.role() + " " + Path.of(source.label()).getFileName();
    OptimizedModels keep = optimized;
    String savedKey = keep != null && dims.isEmpty() && provider.kind() == ExecutionProvider.Kind.CPU
        && keep.keeps(footprintOf(source)) ? savedKey(source) : null;
    if (savedKey != null && loras.isEmpty()) {
      OnnxModel saved = openSaved(keep, savedKey, source, name);
      if (saved != null) {
        return saved;
      }
    }
    // a variant from the saved base needs the weights where the extended level left them: the layout level
    // re-packs convolutions into new weights (-Dlatentstudio.compiled.opt=all)
    boolean fromSavedBase = savedKey != null && !loras.isEmpty() && !layoutOptimised();
    if (fromSavedBase) {
      saveBase(keep, savedKey, source);
    }
    List<WeightOverrides.Merged> merged = loras.isEmpty() ? List.of()
        : overrides.merge(source.key(), weights(source), loras, null);
    if (!loras.isEmpty()) {
      OnnxModel variant = fromSavedBase ? openSavedVariant(keep, savedKey, source, graph, merged, name) : null;
      return variant != null ? variant : buildCompiled(source, graph, merged, dims, null, name); // never saved
    }
    OptimizedModels.Staged staged = savedKey == null ? null : stage(keep, savedKey);
    if (staged == null) {
      return buildCompiled(source, graph, merged, dims, null, name);
    }
    OnnxModel model;
    try {
      model = buildCompiled(source, graph, merged, dims, staged, name);
    } catch (ModelException e) {
      keep.discard(staged);
      return buildCompiled(source, graph, merged, dims, null, name); // saving may be what failed (a full disk)
    }
    try {
      keep.commit(staged);
    } catch (IOException e) {
      // the session stands; the next one builds again
    }
    return model;
  }

  private OnnxModel buildCompiled(ModelSource.Compiled source, CompiledGraph graph, List<WeightOverrides.Merged> merged,
      Map<String, Long> dims, OptimizedModels.Staged staged, String name) throws ModelException {
    try (OrtSession.SessionOptions options = sessionOptions(source, dims);
        Overridden o = override(options, merged)) {
      options.addConfigEntry("session.model_external_initializers_file_folder_path",
          graph.weightsFolder().toString());
      // ONNX Runtime maps the weights straight from the file; the layout level (NCHWc) would re-pack every conv
      // weight at load: on SD1.5 it made loading several times slower and, for fp16 files, held 1.8x the fp32
      // weights at its peak. -Dlatentstudio.compiled.opt=all turns it on.
      if (!layoutOptimised()) {
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
      }
      if (staged != null) {
        options.setOptimizedModelFilePath(staged.model().toString());
        options.addConfigEntry("session.optimized_model_external_initializers_file_name", OptimizedModels.WEIGHTS);
        options.addConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
      }
      OrtSession session = env.createSession(o.inline(graph.onnx()), options);
      return new OnnxModel(env, session, source.label(), stats, name);
    } catch (OrtException e) {
      throw new ModelException("cannot load the " + graph.role() + " compiled from " + source.label() + ": "
          + firstLine(e.getMessage()) + ". The weights file may have changed or be damaged; get it again.", e);
    }
  }

  /**
   * A session of the model ONNX Runtime optimised and saved before ({@link OptimizedModels}): nothing left to
   * optimise. An entry it cannot open (damaged) is dropped and the model built again.
   */
  private OnnxModel openSaved(OptimizedModels keep, String key, ModelSource.Compiled source, String name) {
    Path saved = keep.find(key);
    if (saved == null) {
      return null;
    }
    try (OrtSession.SessionOptions options = sessionOptions(source, Map.of())) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      OnnxModel model = new OnnxModel(env, env.createSession(saved.toString(), options), source.label(), stats, name);
      keep.countOpened();
      return model;
    } catch (OrtException e) {
      keep.forget(key);
      return null;
    }
  }

  /**
   * Builds and saves the base model of a LoRA variant, once a run, if it is not saved: then it serves every later
   * strength and LoRA of this model in seconds ({@link #openSavedVariant}). Once, so that a disk too full to save
   * it does not cost a second build at each LoRA change.
   */
  private void saveBase(OptimizedModels keep, String key, ModelSource.Compiled source) throws ModelException {
    if (keep.find(key) == null && baseSaves.add(key)) {
      try (OnnxModel base = loadCompiled(source, List.of(), Map.of())) {
        // only its saved model is wanted here
      } catch (OrtException e) {
        // closing frees native memory; nothing for the user to do
      }
    }
  }

  /**
   * A LoRA variant of a large compiled model opened from its saved base, with only the merged weights handed over
   * ({@link SavedVariant}); null when the base is not saved or a merged weight has no place in it.
   */
  private OnnxModel openSavedVariant(OptimizedModels keep, String key, ModelSource.Compiled source,
      CompiledGraph graph, List<WeightOverrides.Merged> merged, String name) {
    Path saved = keep.find(key);
    List<SavedVariant.Placed> placed;
    try {
      placed = saved == null ? null : SavedVariant.place(parse(graph.onnx(), source.label()),
          parse(Files.readAllBytes(saved), saved.toString()), merged);
    } catch (IOException | ModelException e) {
      return null;
    }
    if (placed == null) {
      return null;
    }
    List<OnnxTensor> tensors = new java.util.ArrayList<>();
    try (OrtSession.SessionOptions options = sessionOptions(source, Map.of())) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      for (SavedVariant.Placed p : placed) {
        OnnxTensor t = OnnxTensor.createTensor(env, p.data(), p.dims(), ai.onnxruntime.OnnxJavaType.FLOAT);
        tensors.add(t);
        // by reference: ONNX Runtime uses the buffer as it is (handing weights over as external data copied them
        // twice, 5-6 s of SD1.5's UNet), so the session holds them until it closes
        options.addInitializer(p.name(), t);
      }
      OnnxModel model = new OnnxModel(env, env.createSession(saved.toString(), options), source.label(), stats, name)
          .holding(tensors);
      keep.countOpened();
      return model;
    } catch (OrtException e) {
      tensors.forEach(OnnxTensor::close);
      return null;
    }
  }

  private static OptimizedModels.Staged stage(OptimizedModels keep, String key) {
    try {
      return keep.stage(key);
    } catch (IOException e) {
      return null; // a cache folder that cannot be written: build without saving
    }
  }

  /** What a saved optimised model depends on: the compiled model (graph, weights) and this ONNX Runtime. */
  private String savedKey(ModelSource.Compiled source) {
    return source.key() + "|onnxruntime " + env.getVersion() + "|" + (layoutOptimised() ? "all" : "extended");
  }

  /** {@code -Dlatentstudio.compiled.opt=all}: compiled graphs get ONNX Runtime's layout optimisations too. */
  private static boolean layoutOptimised() {
    return "all".equals(System.getProperty("latentstudio.compiled.opt"));
  }

  /** Saves large compiled models as ONNX Runtime optimised them, for quicker sessions later; null saves none. */
  public void keepOptimized(OptimizedModels models) {
    this.optimized = models;
  }

  /**
   * An ONNX file with LoRAs merged: weights stored as external data are replaced before ONNX Runtime optimises the
   * graph; weights stored inside the graph are replaced in the graph's bytes (an override of those would be
   * ignored by the optimisers, which read the original).
   */
  private OnnxModel loadPatchedFile(ModelSource.OnnxFile file, ModelSource.Patched patched, Map<String, Long> dims)
      throws ModelException {
    Path path = file.path();
    ModelProto proto = readGraph(path);
    List<WeightOverrides.Merged> merged = overrides.merge(file.key(), weights(file), patched.loras(), proto);
    try (OrtSession.SessionOptions options = sessionOptions(file, dims);
        Overridden o = override(options, merged)) {
      options.addConfigEntry("session.model_external_initializers_file_folder_path", path.getParent().toString());
      OrtSession session = env.createSession(o.inline(proto), options);
      return new OnnxModel(env, session, patched.label(), stats);
    } catch (OrtException e) {
      throw new ModelException("cannot load " + patched.label() + ": " + firstLine(e.getMessage())
          + ". The model or LoRA file may have changed or be damaged; get it again.", e);
    }
  }

  /** Merged weights handed to ONNX Runtime: external ones as tensors, inline ones into the graph. */
  private final class Overridden implements AutoCloseable {
    private final List<OnnxTensor> tensors = new java.util.ArrayList<>();
    private final List<WeightOverrides.Merged> inline = new java.util.ArrayList<>();

    byte[] inline(byte[] onnx) throws ModelException {
      return inline.isEmpty() ? onnx : inline(parse(onnx, "the compiled graph"));
    }

    byte[] inline(ModelProto proto) {
      return inline.isEmpty() ? proto.toByteArray() : patchGraph(proto).toByteArray();
    }

    private ModelProto patchGraph(ModelProto proto) {
      Map<String, WeightOverrides.Merged> byName = new LinkedHashMap<>();
      inline.forEach(m -> byName.put(m.weight().initializer(), m));
      ModelProto.Builder b = proto.toBuilder();
      for (int i = 0; i < b.getGraph().getInitializerCount(); i++) {
        TensorProto t = b.getGraph().getInitializer(i);
        WeightOverrides.Merged m = byName.get(t.getName());
        if (m != null) {
          b.getGraphBuilder().setInitializer(i, t.toBuilder().clearFloatData().clearRawData()
              .setRawData(com.google.protobuf.ByteString.copyFrom(m.data().duplicate())));
        }
      }
      return b.build();
    }

    @Override
    public void close() {
      tensors.forEach(OnnxTensor::close);
    }
  }

  private Overridden override(OrtSession.SessionOptions options, List<WeightOverrides.Merged> merged)
      throws OrtException {
    Overridden o = new Overridden();
    Map<String, OnnxTensorLike> external = new LinkedHashMap<>();
    try {
      for (WeightOverrides.Merged m : merged) {
        GraphWeights.Weight w = m.weight();
        if (w.file() == null) {
          o.inline.add(m);
          continue;
        }
        OnnxTensor t = OnnxTensor.createTensor(env, m.data().duplicate(), w.dims(),
            GraphWeights.javaType(w.dataType()));
        o.tensors.add(t);
        external.put(w.initializer(), t);
      }
      if (!external.isEmpty()) {
        // replaces weights declared as external data before any optimisation reads them (ONNX Runtime copies them)
        options.addExternalInitializers(external);
      }
      return o;
    } catch (OrtException | RuntimeException e) {
      o.close();
      throw e;
    }
  }

  private static ModelProto readGraph(Path file) throws ModelException {
    try {
      return parse(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new ModelException("cannot read the ONNX model " + file + " (" + e.getMessage() + ")", e);
    }
  }

  private static ModelProto parse(byte[] onnx, String label) throws ModelException {
    try {
      return ModelProto.parseFrom(onnx);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new ModelException(label + " is not a readable ONNX model (" + e.getMessage() + "); re-export or "
          + "re-download it", e);
    }
  }

  private OrtSession.SessionOptions sessionOptions(ModelSource source, Map<String, Long> dims) throws OrtException {
    OrtSession.SessionOptions o = sessionOptions(provider.kind() == ExecutionProvider.Kind.CUDA,
        threadsFor(source, dims));
    if (!prepacksWeights(source)) {
      o.addConfigEntry("session.disable_prepacking", "1");
    }
    for (var d : dims.entrySet()) {
      o.setSymbolicDimensionValue(d.getKey(), d.getValue());
    }
    return o;
  }

  private OrtSession.SessionOptions sessionOptions(boolean cuda, int threads) throws OrtException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    o.setIntraOpNumThreads(threads);
    if (!settings.spinWait()) {
      // idle ONNX Runtime threads otherwise spin for a while after each run, taking the core the sampler loop
      // and the UI need next: on a 2-core machine turning it off halved the time of a 20-step run
      o.addConfigEntry("session.intra_op.allow_spinning", "0");
    }
    if (cuda) {
      o.addCUDA(settings.cudaDevice());
    }
    return o;
  }

  private ExecutionProvider chooseProvider(RuntimeSettings s) {
    if (!s.preferCuda()) {
      return new ExecutionProvider(ExecutionProvider.Kind.CPU, 0, "CUDA turned off by latentstudio.cuda=false");
    }
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      return new ExecutionProvider(ExecutionProvider.Kind.CPU, 0,
          "this build of Latent Studio has ONNX Runtime's CPU library only; a GPU needs its CUDA build, see the "
          + "README, Running on a GPU");
    }
    try (OrtSession.SessionOptions probe = sessionOptions(true, s.intraOpThreads())) {
      return new ExecutionProvider(ExecutionProvider.Kind.CUDA, s.cudaDevice(), "");
    } catch (OrtException | UnsatisfiedLinkError e) {
      List<String> missing = CudaLibraries.missing();
      String why = missing.isEmpty() ? firstLine(e.getMessage())
          : String.join(", ", missing) + " not found; install CUDA 12 and cuDNN 9 or add them to LD_LIBRARY_PATH";
      return new ExecutionProvider(ExecutionProvider.Kind.CPU, 0, "CUDA unavailable: " + why);
    }
  }

  /** The bytes a model will take: a compiled model's weights, or an ONNX file plus the weight files beside it. */
  private static long footprint(ModelSource source) {
    return switch (source) {
      case ModelSource.OnnxFile f -> footprint(f.path());
      case ModelSource.Compiled c -> c.weightBytes();
      case ModelSource.Patched p -> footprint(p.base());
      case ModelSource.FixedDims f -> footprint(f.base());
    };
  }

  private static long footprint(Path file) {
    long total = 0;
    try (Stream<Path> siblings = Files.list(file.toAbsolutePath().getParent())) {
      for (Path p : siblings.toList()) {
        String name = p.getFileName().toString();
        if (!name.endsWith(".json") && !name.endsWith(".txt") && Files.isRegularFile(p)) {
          total += Files.size(p);
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return total;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no reason given";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }

  @Override
  public void close() {
    sessions.closeAll();
  }
}
