package org.latentstudio.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.latentstudio.compiler.CompileOptions;
import org.latentstudio.compiler.CompiledGraph;

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

  public OrtRuntime(RuntimeSettings settings) {
    this.env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "latentstudio");
    this.settings = settings;
    this.provider = chooseProvider(settings);
    this.sessions = new SessionCache(this::load, OrtRuntime::footprint, settings.sessionBudgetBytes());
  }

  public ExecutionProvider provider() {
    return provider;
  }

  /**
   * How checkpoints are compiled for this runtime: float32 (the CPU's arithmetic; fp16 files are widened once
   * when the session is created). {@code -Dlatentstudio.fp16=true} computes in float16 on CUDA.
   */
  public CompileOptions compileOptions() {
    boolean fp16 = provider.kind() == ExecutionProvider.Kind.CUDA && Boolean.getBoolean("latentstudio.fp16");
    return new CompileOptions(fp16, Boolean.getBoolean("latentstudio.fused.attention"));
  }

  public RuntimeStats stats() {
    return stats;
  }

  public RuntimeSettings settings() {
    return settings;
  }

  /** The model from {@code source}, loaded on first use and kept for later runs. Close the lease after use. */
  public ModelLease open(ModelSource source) throws ModelException {
    if (source instanceof ModelSource.OnnxFile f && !Files.isRegularFile(f.path())) {
      throw new ModelException("model file " + f.path() + " does not exist");
    }
    return new ModelLease(sessions.acquire(source));
  }

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

  /** How many models are loaded now, and how many loads happened in all: for tests and the status bar. */
  public int loadedModels() {
    return sessions.loadedCount();
  }

  public int modelLoads() {
    return sessions.loads();
  }

  public boolean isLoaded(Path file) {
    return sessions.isLoaded(ModelSource.of(file));
  }

  public boolean isLoaded(ModelSource source) {
    return sessions.isLoaded(source);
  }

  private OnnxModel load(ModelSource source) throws ModelException {
    return switch (source) {
      case ModelSource.OnnxFile f -> loadFile(f.path());
      case ModelSource.Compiled c -> loadCompiled(c);
    };
  }

  private OnnxModel loadFile(Path file) throws ModelException {
    try (OrtSession.SessionOptions options = sessionOptions(provider.kind() == ExecutionProvider.Kind.CUDA)) {
      return new OnnxModel(env, env.createSession(file.toString(), options), file.toString(), stats);
    } catch (OrtException e) {
      throw new ModelException("cannot load the ONNX model " + file + ": " + firstLine(e.getMessage())
          + ". The file may be truncated or not an ONNX model; re-export or re-download it.", e);
    }
  }

  /**
   * A compiled graph's session: ONNX Runtime reads each weight from the user's file at the offset the graph
   * names (external data relative to the weights folder), so no weight file is ever copied.
   */
  private OnnxModel loadCompiled(ModelSource.Compiled source) throws ModelException {
    CompiledGraph graph = source.graph().get();
    try (OrtSession.SessionOptions options = sessionOptions(provider.kind() == ExecutionProvider.Kind.CUDA)) {
      options.addConfigEntry("session.model_external_initializers_file_folder_path",
          graph.weightsFolder().toString());
      // ONNX Runtime maps the weights straight from the file; the layout level (NCHWc) would re-pack every conv
      // weight at load: on SD1.5 it made loading several times slower and, for fp16 files, held 1.8x the fp32
      // weights at its peak. -Dlatentstudio.compiled.opt=all turns it on.
      if (!"all".equals(System.getProperty("latentstudio.compiled.opt"))) {
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
      }
      long t0 = System.nanoTime();
      OrtSession session = env.createSession(graph.onnx(), options);
      return new OnnxModel(env, session, source.label(), stats, graph.role() + " "
          + java.nio.file.Path.of(source.label()).getFileName());
    } catch (OrtException e) {
      throw new ModelException("cannot load the " + graph.role() + " compiled from " + source.label() + ": "
          + firstLine(e.getMessage()) + ". The weights file may have changed or be damaged; get it again.", e);
    }
  }

  private OrtSession.SessionOptions sessionOptions(boolean cuda) throws OrtException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    o.setIntraOpNumThreads(settings.intraOpThreads());
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
          "this build uses the CPU onnxruntime artifact; build with mvn -Pcuda for a GPU");
    }
    try (OrtSession.SessionOptions probe = sessionOptions(true)) {
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
