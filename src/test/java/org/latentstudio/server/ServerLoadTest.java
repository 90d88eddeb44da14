package org.latentstudio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentstudio.app.AppContext;

/**
 * 50 prompts from 10 clients at once on the bundled shapes model: every one finishes once, each client hears
 * only its own, the history holds all 50 and 50 pictures are on disk, and the server's heap after the run is
 * within a few MiB of where it was after a warm-up (the figure is printed for the README).
 */
class ServerLoadTest {
  static final int CLIENTS = 10;
  static final int PER_CLIENT = 5;

  @TempDir
  Path dir;

  @Test
  void fiftyPromptsFromTenClientsAllFinishOnce() throws Exception {
    try (AppContext app = new AppContext()) {
      ServerFolders folders = new ServerFolders(dir.resolve("in"), dir.resolve("out"), dir.resolve("tmp"));
      folders.create();
      try (ComfyServer server = new ComfyServer(app.executor(), app.models(), folders, "127.0.0.1", 0, "load")
          .start()) {
        // warm-up: models loaded, code compiled, then the heap as the baseline
        runClients(server, 2, 2, 1_000);
        long before = heapAfterGc();
        long t0 = System.nanoTime();
        List<List<String>> ids = runClients(server, CLIENTS, PER_CLIENT, 0);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long after = heapAfterGc();

        Set<String> all = new HashSet<>();
        ids.forEach(all::addAll);
        assertEquals(CLIENTS * PER_CLIENT, all.size(), "no prompt lost or answered twice");
        ComfyClient probe = new ComfyClient(server.url(), "probe");
        JsonNode history = probe.get("/history").json();
        for (String id : all) {
          assertEquals("success", history.path(id).path("status").path("status_str").asText(), id);
        }
        try (var files = Files.list(folders.output())) {
          assertEquals(CLIENTS * PER_CLIENT + 4, files.count(), "one picture per prompt, warm-up included");
        }
        assertEquals(0, probe.get("/queue").json().path("queue_pending").size());
        System.out.printf("load: %d prompts from %d clients in %.1f s (%.2f s/prompt); heap after GC %.1f MiB "
            + "before, %.1f MiB after (%+.1f MiB)%n", all.size(), CLIENTS, seconds, seconds / all.size(),
            before / 1048576.0, after / 1048576.0, (after - before) / 1048576.0);
        assertTrue(after - before < 32L << 20, "the heap grew by " + (after - before) / 1048576 + " MiB");
      }
    }
  }

  /** Each client connects, queues its prompts at once, and waits for each to end; returns the ids per client. */
  static List<List<String>> runClients(ComfyServer server, int clients, int perClient, long seedBase)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        futures.add(pool.submit(() -> oneClient(server, client, perClient, seedBase)));
      }
      List<List<String>> out = new ArrayList<>();
      for (Future<List<String>> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<String> oneClient(ComfyServer server, int client, int perClient, long seedBase)
      throws Exception {
    try (ComfyClient c = new ComfyClient(server.url(), "load-" + client + "-" + UUID.randomUUID()).connect()) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < perClient; i++) {
        ObjectNode prompt = ComfyClient.examplePrompt(seedBase + client * 100L + i);
        String id = UUID.randomUUID().toString();
        ComfyClient.Answer a = c.queue(prompt, id);
        assertEquals(200, a.status(), a.text());
        ids.add(id);
      }
      Set<String> done = new HashSet<>();
      while (done.size() < ids.size()) {
        ComfyClient.Message m = c.await(x -> x.type().equals("executing") && x.data().path("node").isNull(), 300);
        String id = m.data().path("prompt_id").asText();
        assertTrue(ids.contains(id), "a client hears only of its own prompts: " + id);
        assertTrue(done.add(id), "each prompt ends once: " + id);
      }
      return ids;
    }
  }

  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
