package org.latentstudio.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.latentstudio.text.ClipTokenizer;
import org.latentstudio.text.TokenizerFormatException;

/**
 * Times loading the SD1.x vocabulary and tokenising a 75-token prompt. Not a test; run it with
 * {@code java -cp target/classes:target/test-classes:<jackson> org.latentstudio.bench.TokenizerBench [DIR]},
 * DIR defaulting to ../shared/clip-tokenizer.
 */
public final class TokenizerBench {
  private static final String PROMPT = "masterpiece, best quality, ultra-detailed, 8k wallpaper, a lone lighthouse "
      + "on a rocky cliff at dusk, dramatic storm clouds, crashing waves, volumetric light rays through the fog, "
      + "cinematic composition, by greg rutkowski and alphonse mucha, trending on artstation, sharp focus, "
      + "highly detailed oil painting, warm golden hour glow, seagulls in the distance";
  private static final String WEIGHTED = "masterpiece, (best quality:1.2), ((ultra-detailed)), 8k wallpaper, a lone "
      + "(lighthouse:1.3) on a rocky cliff at dusk, [blurry], dramatic storm clouds, crashing waves, volumetric "
      + "light rays through the fog, cinematic composition, by greg rutkowski and alphonse mucha, sharp focus";

  private TokenizerBench() {}

  public static void main(String[] args) throws TokenizerFormatException {
    Path dir = Path.of(args.length > 0 ? args[0] : "../shared/clip-tokenizer");
    long t0 = System.nanoTime();
    ClipTokenizer tokenizer = ClipTokenizer.load(dir);
    print("first load (cold JVM)", System.nanoTime() - t0);
    for (int i = 0; i < 4; i++) {
      t0 = System.nanoTime();
      ClipTokenizer.load(dir);
      print("load again", System.nanoTime() - t0);
    }
    System.out.println("prompt: " + tokenizer.encode(PROMPT).length + " tokens");

    t0 = System.nanoTime();
    tokenizer.encode(PROMPT);
    print("encode, first call (cold JIT, nothing cached)", System.nanoTime() - t0);
    for (int i = 0; i < 20_000; i++) {
      tokenizer.encode(PROMPT);
      tokenizer.tokenizeWeighted(WEIGHTED);
    }
    time("encode, words cached", () -> tokenizer.encode(PROMPT));
    time("tokenizeWeighted, words cached", () -> tokenizer.tokenizeWeighted(WEIGHTED));
    Random random = new Random(1);
    time("encode, 25 unseen words (~75 tokens)", () -> tokenizer.encode(newWords(random, 25)));
  }

  /** Random lower-case words of 5 to 8 letters: BPE has to merge each one. */
  private static String newWords(Random random, int count) {
    StringBuilder sb = new StringBuilder();
    for (int w = 0; w < count; w++) {
      int length = 5 + random.nextInt(4);
      for (int i = 0; i < length; i++) {
        sb.append((char) ('a' + random.nextInt(26)));
      }
      sb.append(' ');
    }
    return sb.toString();
  }

  private static void time(String what, Runnable r) {
    int n = 10_000;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      r.run();
    }
    print(what + " (mean of " + n + ")", (System.nanoTime() - t0) / n);
  }

  private static void print(String what, long nanos) {
    System.out.println(String.format(Locale.ROOT, "%-52s %10.3f ms", what, nanos / 1e6));
  }
}
