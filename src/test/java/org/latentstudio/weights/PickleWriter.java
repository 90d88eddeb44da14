package org.latentstudio.weights;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, for tests that need pickles torch would never write. */
final class PickleWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static PickleWriter proto(int protocol) {
    PickleWriter w = new PickleWriter();
    return w.op(0x80).op(protocol);
  }

  PickleWriter op(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  PickleWriter op(char... ops) {
    for (char c : ops) {
      out.write(c);
    }
    return this;
  }

  PickleWriter raw(String latin1) {
    out.writeBytes(latin1.getBytes(StandardCharsets.ISO_8859_1));
    return this;
  }

  PickleWriter global(String module, String name) {
    return op('c').raw(module + "\n" + name + "\n");
  }

  PickleWriter str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    op('X');
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
    out.writeBytes(b);
    return this;
  }

  PickleWriter integer(long n) {
    op('J');
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) n).array());
    return this;
  }

  /** Pushes a tuple of ints. */
  PickleWriter ints(long... values) {
    op('(');
    for (long v : values) {
      integer(v);
    }
    return op('t');
  }

  /** Pushes {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}. */
  PickleWriter tensor(String storageClass, String key, long storageElements, long offset, long[] size,
      long[] stride) {
    global("torch._utils", "_rebuild_tensor_v2").op('(');
    op('(').str("storage").global("torch", storageClass).str(key).str("cpu").integer(storageElements).op('t');
    op('Q').integer(offset).ints(size).ints(stride).op(0x89);
    global("collections", "OrderedDict").op(')', 'R');
    return op('t', 'R');
  }

  byte[] stop() {
    return op('.').out.toByteArray();
  }
}
