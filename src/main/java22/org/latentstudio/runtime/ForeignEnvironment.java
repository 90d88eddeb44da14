package org.latentstudio.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * Sets a variable in the process's native environment with the C library, through Java 22's foreign function
 * API (compiled from src/main/java22 when the build's JDK has it; see {@link NativeEnvironment}).
 */
public final class ForeignEnvironment implements NativeEnvironment {
  @Override
  public String set(String name, String value) {
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    Linker linker = Linker.nativeLinker();
    // the C runtime's own call, so that its getenv and the system's copy both see the value
    String function = windows ? "_putenv_s" : "setenv";
    Optional<MemorySegment> symbol = linker.defaultLookup().find(function);
    if (symbol.isEmpty()) {
      return "no " + function + " in the C library";
    }
    FunctionDescriptor signature = windows
        ? FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS)
        : FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
    MethodHandle call = linker.downcallHandle(symbol.get(), signature);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment n = arena.allocateFrom(name);
      MemorySegment v = arena.allocateFrom(value);
      int rc = windows ? (int) call.invokeExact(n, v) : (int) call.invokeExact(n, v, 1);
      return rc == 0 ? null : function + " failed (" + rc + ")";
    } catch (Throwable e) { // invokeExact declares Throwable; a call that cannot be made is reported, not thrown
      return function + " failed: " + e;
    }
  }
}
