package org.latentstudio.exec;

/**
 * Threads that may call into ONNX Runtime. Its native code is written for a main thread's 8 MB stack: loading its
 * library and building sessions recurse deeply, and on a Java thread's default 1 MB stack that overflowed in
 * native code, which kills the process without a Java error or an hs_err file.
 */
public final class NativeThreads {
  /** The stack of each such thread; only what is touched is ever committed. */
  public static final long STACK_BYTES = 16L << 20;

  private NativeThreads() {}

  /** A daemon thread, not yet started. */
  public static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(null, body, name, STACK_BYTES);
    t.setDaemon(true);
    return t;
  }
}
