package org.latentstudio.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.latentstudio.app.AppContext;
import org.latentstudio.server.ComfyClient;
import org.latentstudio.server.ComfyServer;
import org.latentstudio.server.ServerFolders;

/**
 * The ComfyUI API server on the bundled shapes model, over real sockets on 127.0.0.1:
 * <ol>
 *   <li>{@code POST /prompt} round trip (validate, queue, answer) for a prompt whose nodes are all cached;</li>
 *   <li>that prompt from POST to {@code executing} with node null on the WebSocket (the target is 20 ms);</li>
 *   <li>a prompt with a new seed from POST to its end (20 Euler steps, 64×64);</li>
 *   <li>50 prompts queued by 10 clients at once, until the last one ends.</li>
 * </ol>
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.latentstudio.bench.ServerBenchmark</pre>
 */
public final class ServerBenchmark {
  private ServerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path dir = Files.createTempDirectory("latentstudio-server-bench");
    ServerFolders folders = new ServerFolders(dir.resolve("in"), dir.resolve("out"), dir.resolve("tmp"));
    folders.create();
    try (AppContext app = new AppContext();
        ComfyServer server = new ComfyServer(app.executor(), app.models(), folders, "127.0.0.1", 0, "bench").start();
        ComfyClient c = new ComfyClient(server.url(), "bench").connect()) {
      ObjectNode cached = ComfyClient.examplePrompt(1);
      for (int i = 0; i < 20; i++) { // warm-up: models loaded, code compiled, the prompt cached
        String id = UUID.randomUUID().toString();
        c.queue(i % 2 == 0 ? cached : ComfyClient.examplePrompt(1000 + i), id);
        c.awaitDone(id, 120);
      }
      double[] post = new double[runs];
      double[] done = new double[runs];
      for (int i = 0; i < runs; i++) {
        String id = UUID.randomUUID().toString();
        long t0 = System.nanoTime();
        ComfyClient.Answer a = c.queue(cached, id);
        post[i] = (System.nanoTime() - t0) / 1e6;
        if (a.status() != 200) {
          throw new IllegalStateException(a.text());
        }
        c.awaitDone(id, 60);
        done[i] = (System.nanoTime() - t0) / 1e6;
      }
      System.out.printf("cached prompt, POST /prompt answered: median %.2f ms, p95 %.2f ms (%d runs)%n",
          Stats.median(post), Stats.p95(post), runs);
      System.out.printf("cached prompt, POST to executing(null): median %.2f ms, p95 %.2f ms, min %.2f ms%n",
          Stats.median(done), Stats.p95(done), Stats.min(done));

      double[] fresh = new double[10];
      for (int i = 0; i < fresh.length; i++) {
        String id = UUID.randomUUID().toString();
        long t0 = System.nanoTime();
        c.queue(ComfyClient.examplePrompt(5000 + i), id);
        c.awaitDone(id, 120);
        fresh[i] = (System.nanoTime() - t0) / 1e6;
      }
      System.out.printf("new seed, POST to executing(null): median %.0f ms, p95 %.0f ms%n", Stats.median(fresh),
          Stats.p95(fresh));

      long t0 = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(10);
      List<Future<?>> clients = new ArrayList<>();
      for (int k = 0; k < 10; k++) {
        int client = k;
        clients.add(pool.submit(() -> {
          try (ComfyClient cc = new ComfyClient(server.url(), "bench-" + client).connect()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
              String id = UUID.randomUUID().toString();
              cc.queue(ComfyClient.examplePrompt(9000 + client * 10 + i), id);
              ids.add(id);
            }
            for (String id : ids) {
              cc.awaitDone(id, 300);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : clients) {
        f.get();
      }
      pool.shutdown();
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("50 shapes prompts from 10 clients: %.1f s, %.0f ms per prompt%n", s, s * 1000 / 50);
    }
  }
}
