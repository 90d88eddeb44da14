package org.latentstudio.runtime;

/**
 * Changes the process's own native environment, which C libraries such as ONNX Runtime read (Java's
 * {@code System.getenv} keeps the values the process started with). The implementation needs Java 22's foreign
 * function API while the project builds on Java 21, so it lives in src/main/java22 and is compiled only by a JDK
 * that has it (the pom's java22 profile); {@link #load} says why when it is absent.
 */
public interface NativeEnvironment {
  /** Sets {@code name} to {@code value}; returns why it could not, or null. */
  String set(String name, String value);

  /** The implementation, or one that reports why there is none. */
  static NativeEnvironment load() {
    if (Runtime.version().feature() < 22) {
      return (name, value) -> "Java " + Runtime.version().feature() + " cannot change its own environment (22 can)";
    }
    try {
      return (NativeEnvironment) Class.forName("org.latentstudio.runtime.ForeignEnvironment")
          .getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return (name, value) -> "this build has no Java 22 part (built with an older JDK): " + e;
    }
  }
}
