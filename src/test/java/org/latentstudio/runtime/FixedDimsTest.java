package org.latentstudio.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.latentstudio.tensor.Tensor;
import org.latentstudio.testing.TestModels;
import org.junit.jupiter.api.Test;

/** Sessions with fixed dimensions for small models, and sessions loading side by side. */
class FixedDimsTest extends RuntimeTest {

  private static Map<String, Long> dims(long batch) {
    return Map.of("batch", batch, "height", 8L, "width", 8L, "sequence", 77L);
  }

  @Test
  void theSamplersUNetRunsOnASessionOfItsCallsDimensionsAndPredictsTheSame() throws Exception {
    SdModel model = ModelFolder.open(TestModels.tinySd()).toModel();
    Tensor sample = OrtRuntimeTest.random(1, 2, 4, 8, 8);
    Tensor context = OrtRuntimeTest.random(2, 2, 77, 32);
    Tensor one = sample.slice(0, 1);
    Tensor oneContext = context.slice(0, 1);
    Tensor dynamic;
    Tensor dynamicOne;
    try (UNet unet = UNet.open(runtime, model.unet())) {
      dynamic = unet.predict(sample, 951f, context);
      dynamicOne = unet.predict(one, 951f, oneContext);
    }
    try (UNet unet = UNet.openForCalls(runtime, model.unet(), sample.shape(), context.shape())) {
      assertTrue(runtime.isLoaded(new ModelSource.FixedDims(model.unet(), dims(2))), "a session for batch 2");
      assertTrue(unet.predict(sample, 951f, context).maxAbsDiff(dynamic) < 1e-5f);
      // a negative prompt that starts late halves the batch: a session of its own
      assertTrue(unet.predict(one, 951f, oneContext).maxAbsDiff(dynamicOne) < 1e-5f);
      assertTrue(runtime.isLoaded(new ModelSource.FixedDims(model.unet(), dims(1))), "a session for batch 1");
    }
    // unloading the model unloads its sessions of every dimension
    assertTrue(runtime.release(model.unet()));
    assertFalse(runtime.isLoaded(model.unet()));
  }

  @Test
  void aLargeModelKeepsItsDynamicSession() {
    ModelSource large = new ModelSource.Compiled("large", "large.safetensors", 3L << 30, () -> null);
    assertSame(large, runtime.fixingDims(large, dims(2)));
    ModelSource small = new ModelSource.Compiled("small", "small.safetensors", 4L << 20, () -> null);
    assertEquals(new ModelSource.FixedDims(small, dims(2)), runtime.fixingDims(small, dims(2)));
  }

  @Test
  void anExportWhoseDimensionNamesDisagreeWithTheCallFallsBackToItsDynamicSession() throws Exception {
    // its timestep is declared [batch]: with batch fixed at 2 it would refuse the sampler's [1]
    ModelSource odd = ModelSource.of(TestModels.resources().resolve("models/odd-dims-unet/model.onnx"));
    Tensor sample = OrtRuntimeTest.random(3, 2, 4, 8, 8);
    Tensor context = OrtRuntimeTest.random(4, 2, 77, 32);
    try (UNet unet = UNet.openForCalls(runtime, odd, sample.shape(), context.shape())) {
      assertEquals(0f, unet.predict(sample, 500f, context).maxAbsDiff(sample));
      assertEquals(0f, unet.predict(sample, 400f, context).maxAbsDiff(sample), "and stays with it");
    }
  }

  @Test
  void differentModelsLoadSideBySideAndOneModelLoadsOnce() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    AtomicInteger loadsOfA = new AtomicInteger();
    CountDownLatch bothLoading = new CountDownLatch(2);
    Path tiny = TestModels.tinySd();
    SessionCache cache = new SessionCache(source -> {
      if (source.key().contains("text_encoder")) {
        loadsOfA.incrementAndGet();
      }
      bothLoading.countDown();
      try {
        // a cache that loads under one lock never lets the second load start: this wait would time out
        if (!bothLoading.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
          throw new ModelException("the other load never started");
        }
        Path file = ((ModelSource.OnnxFile) source).path();
        return new OnnxModel(env, env.createSession(file.toString(), new OrtSession.SessionOptions()),
            file.toString(), new RuntimeStats());
      } catch (InterruptedException | ai.onnxruntime.OrtException e) {
        throw new ModelException(e.getMessage(), e);
      }
    }, source -> 1, Long.MAX_VALUE);
    ModelSource a = ModelSource.of(tiny.resolve("text_encoder/model.onnx"));
    ModelSource b = ModelSource.of(tiny.resolve("vae_decoder/model.onnx"));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
        List<Future<SessionCache.Lease>> leases = new ArrayList<>();
        for (ModelSource s : List.of(a, b, a)) {
          leases.add(pool.submit(() -> cache.acquire(s)));
        }
        for (Future<SessionCache.Lease> l : leases) {
          l.get().close();
        }
      });
    } finally {
      pool.shutdownNow();
      cache.closeAll();
    }
    assertEquals(1, loadsOfA.get(), "two callers of one model share its load");
    assertEquals(2, cache.loads());
  }
}
