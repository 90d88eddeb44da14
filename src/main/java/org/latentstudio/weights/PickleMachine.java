package org.latentstudio.weights;

import static org.latentstudio.weights.PickleScalars.MAX_INT_BYTES;
import static org.latentstudio.weights.PickleScalars.decimalInt;
import static org.latentstudio.weights.PickleScalars.latin1;
import static org.latentstudio.weights.PickleScalars.littleEndianInt;
import static org.latentstudio.weights.PickleScalars.quotedString;
import static org.latentstudio.weights.PickleScalars.rawUnicodeEscape;
import static org.latentstudio.weights.PickleScalars.textFloat;
import static org.latentstudio.weights.PickleScalars.textInt;
import static org.latentstudio.weights.PickleScalars.textLong;
import static org.latentstudio.weights.PickleScalars.utf8;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle virtual machine for untrusted bytes. It knows Python's opcodes but no Python: every global, call,
 * persistent id and BUILD goes to a {@link Host}, which refuses what it does not allow. The machine itself
 * never resolves a name, so nothing outside the host's allow-list can be reached.
 *
 * <p>Hostile input ends in a {@link PickleException} naming the byte and the problem, never in another
 * exception, a hang or an exhausted heap: every read is bounds-checked; the machine only reads forward
 * (one pass, no loops in the data); every push and memo entry counts against {@link #MAX_VALUES}, which
 * bounds memory to a few hundred bytes per unit; marks nest at most {@link #MAX_MARKS} deep; nothing recurses.
 *
 * <p>Opcodes: protocols 0 to 4 and protocol 5's BYTEARRAY8; refused by name: EXT1/2/4 (globals by number
 * from the copyreg registry), NEXT_BUFFER and READONLY_BUFFER (out-of-band data), PERSID's text form.
 */
final class PickleMachine {
  /** Pushes and memo entries one pickle may make. A Stable Diffusion checkpoint needs about 30 000. */
  static final int MAX_VALUES = 4_000_000;
  static final int MAX_MARKS = 10_000;
  private static final int MAX_LINE = 64 << 10;

  /** What the pickle may do beyond building plain data; each call may refuse. */
  interface Host {
    /** GLOBAL, STACK_GLOBAL, INST: an allowed global's value, or a refusal naming it. */
    Object global(String module, String name) throws PickleException;

    /** REDUCE, NEWOBJ, INST and OBJ: calls an allowed global's value with positional arguments. */
    Object call(Object callable, Pickled.Tuple args) throws PickleException;

    /** BINPERSID: the object a persistent id stands for (for torch, a storage). */
    Object persistentLoad(Object pid) throws PickleException;

    /** BUILD: sets an object's state (for torch, an OrderedDict's attributes). */
    void build(Object target, Object state) throws PickleException;
  }

  /**
   * The pickle is damaged, or it does something the host refuses (a global outside the allow-list, a call a
   * state dict never makes). The message has no file name; {@link #position()} is the opcode's byte.
   */
  static final class PickleException extends Exception {
    private final boolean refusal;
    private int position = -1;

    /** The data is damaged. */
    PickleException(String message) {
      this(message, false);
    }

    private PickleException(String message, boolean refusal) {
      super(message);
      this.refusal = refusal;
    }

    /** The data is well formed but asks for what is not allowed. */
    static PickleException refusal(String message) {
      return new PickleException(message, true);
    }

    boolean isRefusal() {
      return refusal;
    }

    /** The byte of the pickle where the opcode that failed starts, or -1 outside the machine. */
    int position() {
      return position;
    }
  }

  private final byte[] data;
  private final Host host;
  private final List<Object> stack = new ArrayList<>();
  private final int[] marks = new int[MAX_MARKS];
  private int markCount;
  private int fence;
  private final Map<Integer, Object> memo = new HashMap<>();
  private int pos;
  private int opStart;
  private int spent;

  private PickleMachine(byte[] data, Host host) {
    this.data = data;
    this.host = host;
  }

  /** Runs the pickle to its STOP and returns the object it made. */
  static Object run(byte[] pickle, Host host) throws PickleException {
    PickleMachine m = new PickleMachine(pickle, host);
    try {
      return m.loop();
    } catch (PickleException e) {
      if (e.position < 0) {
        e.position = m.opStart;
      }
      throw e;
    }
  }

  private Object loop() throws PickleException {
    while (true) {
      opStart = pos;
      int op = u8();
      switch (op) {
        case 0x80 -> { // PROTO
          int proto = u8();
          if (proto > 5) {
            throw new PickleException("uses pickle protocol " + proto + ", newer than any Python writes");
          }
        }
        case 0x95 -> i64(); // FRAME: a length hint for buffered readers; the whole pickle is in memory
        case '.' -> { // STOP
          return pop();
        }
        // marks and the stack
        case '(' -> mark();
        case '0' -> pop();
        case '1' -> popMark();
        case '2' -> push(peek());
        // memo
        case 'p' -> memoPut(decimalInt(line()));
        case 'q' -> memoPut(u8());
        case 'r' -> memoPut(u32index());
        case 0x94 -> memoPut(memo.size());
        case 'g' -> memoGet(decimalInt(line()));
        case 'h' -> memoGet(u8());
        case 'j' -> memoGet(u32index());
        // scalars
        case 'N' -> push(Pickled.None.NONE);
        case 0x88 -> push(Boolean.TRUE);
        case 0x89 -> push(Boolean.FALSE);
        case 'K' -> push((long) u8());
        case 'M' -> push((long) (u8() | u8() << 8));
        case 'J' -> push((long) i32());
        case 0x8a -> push(littleEndianInt(bytes(u8()))); // LONG1
        case 0x8b -> push(littleEndianInt(bytes(length(i32() & 0xffffffffL, MAX_INT_BYTES)))); // LONG4
        case 'I' -> push(textInt(line()));
        case 'L' -> push(textLong(line()));
        case 'F' -> push(textFloat(line()));
        case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(i64())));
        // strings and bytes
        case 'X' -> push(utf8(bytes(length(i32() & 0xffffffffL, Integer.MAX_VALUE))));
        case 0x8c -> push(utf8(bytes(u8()))); // SHORT_BINUNICODE
        case 0x8d -> push(utf8(bytes(length(i64(), Integer.MAX_VALUE)))); // BINUNICODE8
        case 'V' -> push(rawUnicodeEscape(line()));
        case 'S' -> push(latin1(quotedString(line())));
        case 'T' -> push(latin1(bytes(length(i32(), Integer.MAX_VALUE)))); // BINSTRING (signed length)
        case 'U' -> push(latin1(bytes(u8()))); // SHORT_BINSTRING
        case 'B' -> push(bytes(length(i32() & 0xffffffffL, Integer.MAX_VALUE))); // BINBYTES
        case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
        case 0x8e, 0x96 -> push(bytes(length(i64(), Integer.MAX_VALUE))); // BINBYTES8, BYTEARRAY8
        // containers
        case ')' -> push(Pickled.Tuple.EMPTY);
        case 't' -> push(new Pickled.Tuple(popMark()));
        case 0x85 -> push(new Pickled.Tuple(popN(1)));
        case 0x86 -> push(new Pickled.Tuple(popN(2)));
        case 0x87 -> push(new Pickled.Tuple(popN(3)));
        case ']' -> push(new Pickled.Sequence(false));
        case 'l' -> push(sequence(false, popMark()));
        case 0x8f -> push(new Pickled.Sequence(true)); // EMPTY_SET
        case 0x91 -> push(sequence(true, popMark())); // FROZENSET
        case 'a' -> {
          Object item = pop();
          sequenceOnTop(false, "APPEND").items.add(item);
        }
        case 'e' -> {
          List<Object> items = popMark();
          sequenceOnTop(false, "APPENDS").items.addAll(items);
        }
        case 0x90 -> {
          List<Object> items = popMark();
          sequenceOnTop(true, "ADDITEMS").items.addAll(items);
        }
        case '}' -> push(new Pickled.Dict());
        case 'd' -> push(dict(new Pickled.Dict(), popMark()));
        case 's' -> {
          Object value = pop();
          Object key = pop();
          dictOnTop("SETITEM").put(key, value);
        }
        case 'u' -> {
          List<Object> items = popMark();
          dict(dictOnTop("SETITEMS"), items);
        }
        // what only the host may do
        case 'c' -> push(host.global(asciiLine(), asciiLine()));
        case 0x93 -> { // STACK_GLOBAL
          Object name = pop();
          Object module = pop();
          if (!(module instanceof String m) || !(name instanceof String n)) {
            throw new PickleException("gives STACK_GLOBAL " + Pickled.typeName(module) + " and "
                + Pickled.typeName(name) + ", not two str");
          }
          push(host.global(m, n));
        }
        case 'R' -> { // REDUCE
          Object args = pop();
          push(host.call(pop(), tuple(args, "REDUCE")));
        }
        case 0x81 -> { // NEWOBJ
          Object args = pop();
          push(host.call(pop(), tuple(args, "NEWOBJ")));
        }
        case 0x92 -> { // NEWOBJ_EX
          Object kwargs = pop();
          Object args = pop();
          Object cls = pop();
          if (!(kwargs instanceof Pickled.Dict d) || d.size() != 0) {
            throw PickleException.refusal("passes keyword arguments with NEWOBJ_EX, which no checkpoint needs");
          }
          push(host.call(cls, tuple(args, "NEWOBJ_EX")));
        }
        case 'i' -> { // INST: a global called with the marked items
          Object cls = host.global(asciiLine(), asciiLine());
          push(host.call(cls, new Pickled.Tuple(popMark())));
        }
        case 'o' -> { // OBJ: the first marked item called with the rest
          List<Object> items = popMark();
          if (items.isEmpty()) {
            throw new PickleException("uses OBJ without a class");
          }
          push(host.call(items.getFirst(), new Pickled.Tuple(items.subList(1, items.size()))));
        }
        case 'b' -> { // BUILD
          Object state = pop();
          host.build(peek(), state);
        }
        case 'Q' -> push(host.persistentLoad(pop())); // BINPERSID
        case 'P' -> push(host.persistentLoad(asciiLine())); // PERSID
        case 0x82, 0x83, 0x84 -> throw PickleException.refusal("uses " + opName(op) + ", which names a global by "
            + "its number in Python's copyreg extension registry; a checkpoint never does");
        case 0x97, 0x98 -> throw PickleException.refusal("uses " + opName(op) + ", which refers to out-of-band data a "
            + "file cannot carry");
        default -> throw new PickleException("has the byte 0x" + Integer.toHexString(op) + " where an opcode "
            + "belongs");
      }
    }
  }

  private static String opName(int op) {
    return switch (op) {
      case 0x82 -> "EXT1";
      case 0x83 -> "EXT2";
      case 0x84 -> "EXT4";
      case 0x97 -> "NEXT_BUFFER";
      default -> "READONLY_BUFFER";
    };
  }

  // ---- the stack

  private void push(Object v) throws PickleException {
    spend();
    stack.add(v);
  }

  private void spend() throws PickleException {
    if (++spent > MAX_VALUES) {
      throw new PickleException("makes more than " + MAX_VALUES + " values, far more than any checkpoint "
          + "(the limit keeps a crafted file from exhausting memory)");
    }
  }

  private Object pop() throws PickleException {
    if (stack.size() <= fence) {
      throw new PickleException("pops more values than it pushed");
    }
    return stack.removeLast();
  }

  private Object peek() throws PickleException {
    if (stack.size() <= fence) {
      throw new PickleException("uses a value it never pushed");
    }
    return stack.getLast();
  }

  private List<Object> popN(int n) throws PickleException {
    if (stack.size() - fence < n) {
      throw new PickleException("pops more values than it pushed");
    }
    List<Object> top = stack.subList(stack.size() - n, stack.size());
    List<Object> items = new ArrayList<>(top);
    top.clear();
    return items;
  }

  private void mark() throws PickleException {
    if (markCount == MAX_MARKS) {
      throw new PickleException("nests marks more than " + MAX_MARKS + " deep, which no checkpoint does");
    }
    marks[markCount++] = stack.size();
    fence = stack.size();
  }

  /** The items pushed since the last MARK, removed from the stack; the mark before it applies again. */
  private List<Object> popMark() throws PickleException {
    if (markCount == 0) {
      throw new PickleException("ends a MARK it never set");
    }
    int at = marks[--markCount];
    fence = markCount == 0 ? 0 : marks[markCount - 1];
    List<Object> top = stack.subList(at, stack.size());
    List<Object> items = new ArrayList<>(top);
    top.clear();
    return items;
  }

  private void memoPut(long index) throws PickleException {
    if (index < 0 || index > Integer.MAX_VALUE) {
      throw new PickleException("stores memo entry " + index + ", out of range");
    }
    spend();
    memo.put((int) index, peek());
  }

  private void memoGet(long index) throws PickleException {
    Object v = index < 0 || index > Integer.MAX_VALUE ? null : memo.get((int) index);
    if (v == null) {
      throw new PickleException("reads memo entry " + index + ", which it never stored");
    }
    push(v);
  }

  // ---- containers

  private static Pickled.Sequence sequence(boolean isSet, List<Object> items) {
    Pickled.Sequence s = new Pickled.Sequence(isSet);
    s.items.addAll(items);
    return s;
  }

  private Pickled.Sequence sequenceOnTop(boolean isSet, String op) throws PickleException {
    if (peek() instanceof Pickled.Sequence s && s.isSet == isSet) {
      return s;
    }
    throw new PickleException("applies " + op + " to " + Pickled.typeName(peek()) + "; only "
        + (isSet ? "sets" : "lists") + " take it");
  }

  private Pickled.Dict dictOnTop(String op) throws PickleException {
    if (peek() instanceof Pickled.Dict d) {
      return d;
    }
    throw new PickleException("applies " + op + " to " + Pickled.typeName(peek()) + "; only dicts take it");
  }

  private static Pickled.Dict dict(Pickled.Dict d, List<Object> keysAndValues) throws PickleException {
    if (keysAndValues.size() % 2 != 0) {
      throw new PickleException("gives a dict an odd number of keys and values");
    }
    for (int i = 0; i < keysAndValues.size(); i += 2) {
      d.put(keysAndValues.get(i), keysAndValues.get(i + 1));
    }
    return d;
  }

  private static Pickled.Tuple tuple(Object args, String op) throws PickleException {
    if (args instanceof Pickled.Tuple t) {
      return t;
    }
    throw new PickleException("gives " + op + " " + Pickled.typeName(args) + ", not a tuple of arguments");
  }

  // ---- reading the bytes

  private int u8() throws PickleException {
    need(1);
    return data[pos++] & 0xff;
  }

  private int i32() throws PickleException {
    need(4);
    int v = ByteBuffer.wrap(data, pos, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    pos += 4;
    return v;
  }

  private long i64() throws PickleException {
    need(8);
    long v = ByteBuffer.wrap(data, pos, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    pos += 8;
    return v;
  }

  private long u32index() throws PickleException {
    return i32() & 0xffffffffL;
  }

  private void need(long n) throws PickleException {
    if (n > data.length - pos) {
      throw new PickleException("ends in the middle of an opcode (it is truncated)");
    }
  }

  /** A declared length, checked against what remains and a cap before anything is allocated. */
  private int length(long declared, int cap) throws PickleException {
    if (declared < 0 || declared > cap || declared > data.length - pos) {
      throw new PickleException("declares a length of " + declared + " bytes, past its end (" + (data.length - pos)
          + " bytes left)");
    }
    return (int) declared;
  }

  private byte[] bytes(int n) throws PickleException {
    need(n);
    byte[] out = new byte[n];
    System.arraycopy(data, pos, out, 0, n);
    pos += n;
    return out;
  }

  /** The bytes up to the next newline, which is consumed. */
  private byte[] line() throws PickleException {
    int limit = (int) Math.min(data.length, (long) pos + MAX_LINE);
    for (int i = pos; i < limit; i++) {
      if (data[i] == '\n') {
        byte[] out = bytes(i - pos);
        pos++;
        return out;
      }
    }
    throw new PickleException("has a text argument with no end of line within " + MAX_LINE + " bytes");
  }

  private String asciiLine() throws PickleException {
    byte[] b = line();
    for (byte c : b) {
      if (c < 0x20) {
        throw new PickleException("has control characters in a global's name");
      }
    }
    return utf8(b);
  }
}
