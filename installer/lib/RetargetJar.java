import java.io.*;
import java.lang.classfile.*;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.*;
import java.util.jar.*;

/**
 * RetargetJar IN.jar OUT.jar: class files older than Java 8 rewritten as Java 8 ones (the same code, with the
 * stack maps Java 6+ verification uses), by the JDK's class-file API (JDK 24+). The JVM cannot put class files
 * older than Java 6 in an AOT cache; picocli ships Java 5 ones, so a cold start loaded, parsed and verified its
 * ~100 classes every time. installer/package runs it on the picocli jar:
 *   java installer/lib/RetargetJar.java IN.jar OUT.jar
 */
public class RetargetJar {
  public static void main(String[] a) throws Exception {
    Path in = Path.of(a[0]), out = Path.of(a[1]);
    try (URLClassLoader loader = new URLClassLoader(new URL[] {in.toUri().toURL()}, null);
        JarFile jar = new JarFile(in.toFile());
        JarOutputStream jos = new JarOutputStream(Files.newOutputStream(out))) {
      ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
          ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
              .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
      int n = 0;
      for (var e : java.util.Collections.list(jar.entries())) {
        byte[] bytes = jar.getInputStream(e).readAllBytes();
        if (e.getName().endsWith(".class") && !e.getName().contains("module-info")) {
          ClassModel cm = cf.parse(bytes);
          if (cm.majorVersion() < 52) {
            // every method body is rebuilt, so the class-file API generates its stack maps
            ClassTransform version = (b, el) -> {
              if (el instanceof ClassFileVersion) {
                b.withVersion(52, 0);
              } else {
                b.with(el);
              }
            };
            bytes = cf.transformClass(cm,
                version.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)));
            n++;
          }
        }
        JarEntry o = new JarEntry(e.getName());
        o.setTime(e.getTime());
        jos.putNextEntry(o);
        jos.write(bytes);
        jos.closeEntry();
      }
      System.err.println(n + " classes rewritten as Java 8 class files");
    }
  }
}
