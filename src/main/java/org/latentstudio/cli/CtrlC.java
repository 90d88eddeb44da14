package org.latentstudio.cli;

import java.io.PrintWriter;
import org.latentstudio.exec.CancellationToken;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) on the command line cancels through the same token the studio's Cancel button uses, instead
 * of the JVM's default of exiting at once. Exiting at once ran ONNX Runtime's global destructors while another
 * thread was still inside it (creating a session, say), which crashed the JVM with SIGSEGV about half the time.
 * Cancelling lets the current step end (a native call cannot be stopped halfway), then the command prints
 * "cancelled" and exits 130, the code a shell expects after Ctrl-C.
 *
 * <p>{@code sun.misc.Signal} is the JDK's supported way to replace a signal's handler (module jdk.unsupported);
 * javac warns about it, and there is no public equivalent.
 */
final class CtrlC {
  private CtrlC() {}

  /** Installs the handler for the life of the process and returns the token it cancels. */
  static CancellationToken install(PrintWriter err) {
    CancellationToken token = new CancellationToken();
    try {
      Signal.handle(new Signal("INT"), signal -> {
        if (!token.isCancelled()) {
          err.println();
          err.println("cancelling: waiting for the current step to end");
        }
        token.cancel();
      });
    } catch (IllegalArgumentException e) {
      // the JVM keeps SIGINT for itself (-Xrs) or the platform has none: its default stays
    }
    return token;
  }
}
