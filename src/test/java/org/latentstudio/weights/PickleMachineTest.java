package org.latentstudio.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latentstudio.weights.PickleMachine.PickleException;

/** The pickle machine with torch's allow-list, on pickles Python wrote and on hand-written hostile ones. */
class PickleMachineTest {
  /**
   * Python 3.11's {@code pickle.dumps(d, protocol=p)} of {@code d = {'int': 1, 'neg': -5, 'big': 2**70, 'float':
   * 2.5, 'str': 'héllo ☃', 'none': None, 'bools': [True, False], 'tuple': (1, 'a'), 'bytes': b'\x00\xff',
   * 'nested': {'k': [1, [2]]}, 'set': {7}}}, for p = 0 to 5: text opcodes, Python 2's names, _codecs.encode for
   * bytes, FRAME, MEMOIZE...
   */
  private static final String[] PYTHON_PICKLES = {
      "286470300a56696e740a70310a49310a73566e65670a70320a492d350a73566269670a70330a4c31313830353931363230373137"
          + "3431313330333432344c0a7356666c6f61740a70340a46322e350a73567374720a70350a5668e96c6c6f205c75323630330a7036"
          + "0a73566e6f6e650a70370a4e7356626f6f6c730a70380a286c70390a4930310a614930300a6173567475706c650a7031300a2849"
          + "310a56610a7031310a747031320a735662797465730a7031330a635f636f646563730a656e636f64650a7031340a28565c753030"
          + "3030ff0a7031350a566c6174696e310a7031360a747031370a527031380a73566e65737465640a7031390a28647032300a566b0a"
          + "7032310a286c7032320a49310a61286c7032330a49320a61617373567365740a7032340a635f5f6275696c74696e5f5f0a736574"
          + "0a7032350a28286c7032360a49370a61747032370a527032380a732e",
      "7d7100285803000000696e7471014b0158030000006e656771024afbffffff580300000062696771034c31313830353931363230"
          + "3731373431313330333432344c0a5805000000666c6f6174710447400400000000000058030000007374727105580a00000068c3"
          + "a96c6c6f20e29883710658040000006e6f6e6571074e5805000000626f6f6c7371085d7109284930310a4930300a655805000000"
          + "7475706c65710a284b01580100000061710b74710c58050000006279746573710d635f636f646563730a656e636f64650a710e28"
          + "580300000000c3bf710f58060000006c6174696e31711074711152711258060000006e657374656471137d711458010000006b71"
          + "155d7116284b015d71174b0261657358030000007365747118635f5f6275696c74696e5f5f0a7365740a7119285d711a4b076174"
          + "711b52711c752e",
      "80027d7100285803000000696e7471014b0158030000006e656771024afbffffff580300000062696771038a0900000000000000"
          + "00405805000000666c6f6174710447400400000000000058030000007374727105580a00000068c3a96c6c6f20e2988371065804"
          + "0000006e6f6e6571074e5805000000626f6f6c7371085d71092888896558050000007475706c65710a4b01580100000061710b86"
          + "710c58050000006279746573710d635f636f646563730a656e636f64650a710e580300000000c3bf710f58060000006c6174696e"
          + "31711086711152711258060000006e657374656471137d711458010000006b71155d7116284b015d71174b026165735803000000"
          + "7365747118635f5f6275696c74696e5f5f0a7365740a71195d711a4b076185711b52711c752e",
      "80037d7100285803000000696e7471014b0158030000006e656771024afbffffff580300000062696771038a0900000000000000"
          + "00405805000000666c6f6174710447400400000000000058030000007374727105580a00000068c3a96c6c6f20e2988371065804"
          + "0000006e6f6e6571074e5805000000626f6f6c7371085d71092888896558050000007475706c65710a4b01580100000061710b86"
          + "710c58050000006279746573710d430200ff710e58060000006e6573746564710f7d711058010000006b71115d7112284b015d71"
          + "134b0261657358030000007365747114636275696c74696e730a7365740a71155d71164b0761857117527118752e",
      "800495a7000000000000007d94288c03696e74944b018c036e6567944afbffffff8c03626967948a090000000000000000408c05"
          + "666c6f6174944740040000000000008c03737472948c0a68c3a96c6c6f20e29883948c046e6f6e65944e8c05626f6f6c73945d94"
          + "288889658c057475706c65944b018c01619486948c05627974657394430200ff948c066e6573746564947d948c016b945d94284b"
          + "015d944b026165738c03736574948f94284b0790752e",
      "800595a7000000000000007d94288c03696e74944b018c036e6567944afbffffff8c03626967948a090000000000000000408c05"
          + "666c6f6174944740040000000000008c03737472948c0a68c3a96c6c6f20e29883948c046e6f6e65944e8c05626f6f6c73945d94"
          + "288889658c057475706c65944b018c01619486948c05627974657394430200ff948c066e6573746564947d948c016b945d94284b"
          + "015d944b026165738c03736574948f94284b0790752e",
  };

  private static Object run(byte[] pickle) throws PickleException {
    return PickleMachine.run(pickle, new TorchGlobals());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void everyProtocolGivesPythonsValues(int protocol) throws PickleException {
    byte[] pickle = HexFormat.of().parseHex(PYTHON_PICKLES[protocol]);
    Pickled.Dict d = assertInstanceOf(Pickled.Dict.class, run(pickle));
    assertEquals(1L, d.get("int"));
    assertEquals(-5L, d.get("neg"));
    assertEquals(BigInteger.TWO.pow(70), d.get("big"));
    assertEquals(2.5, d.get("float"));
    assertEquals("héllo ☃", d.get("str"));
    assertEquals(Pickled.None.NONE, d.get("none"));
    assertEquals(List.of(true, false), assertInstanceOf(Pickled.Sequence.class, d.get("bools")).items);
    assertEquals(List.of(1L, "a"), assertInstanceOf(Pickled.Tuple.class, d.get("tuple")).items());
    assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) d.get("bytes"));
    Pickled.Sequence k = (Pickled.Sequence) ((Pickled.Dict) d.get("nested")).get("k");
    assertEquals(1L, k.items.get(0));
    assertEquals(List.of(2L), ((Pickled.Sequence) k.items.get(1)).items);
    Pickled.Sequence set = assertInstanceOf(Pickled.Sequence.class, d.get("set"));
    assertTrue(set.isSet);
    assertEquals(List.of(7L), set.items);
    assertEquals(11, d.size());
  }

  @Test
  void globalsOutsideTheAllowListAreRefusedByName() {
    assertRefused(PickleWriter.proto(2).global("posix", "system").str("ls").op(0x85).op('R').stop(),
        "refers to the Python global 'posix.system'");
    assertRefused(PickleWriter.proto(2).global("__builtin__", "getattr").stop(),
        "refers to the Python global '__builtin__.getattr'");
    assertRefused(PickleWriter.proto(4).op(0x8c, 2).raw("os").op(0x8c, 6).raw("system").op(0x93).stop(),
        "refers to the Python global 'os.system'");
    // INST builds an instance of the named class from the marked arguments: the name is checked first
    assertRefused(PickleWriter.proto(0).op('(').str("ls").op('i').raw("subprocess\nPopen\n").stop(),
        "refers to the Python global 'subprocess.Popen'");
    // torch's own globals that hold code or sparse layouts are not on the list either
    assertRefused(PickleWriter.proto(2).global("torch.storage", "_load_from_bytes").stop(),
        "'torch.storage._load_from_bytes'");
    assertRefused(PickleWriter.proto(2).global("torch._utils", "_rebuild_sparse_tensor").stop(),
        "'torch._utils._rebuild_sparse_tensor'");
  }

  @Test
  void allowedNamesThatAreNotFunctionsCannotBeCalled() {
    // torch.Tensor is allowed as a name (for _rebuild_from_type_v2) but never instantiated
    assertRefused(PickleWriter.proto(2).global("torch", "Tensor").op(')').op(0x81).stop(), "calls torch.Tensor");
    assertRefused(PickleWriter.proto(2).global("torch", "FloatStorage").op(')').op('R').stop(),
        "calls torch.FloatStorage");
    assertRefused(PickleWriter.proto(0).op('(').global("torch", "float16").op('o').stop(), "calls torch.float16");
  }

  @Test
  void whatAStateDictNeverDoesIsRefused() {
    assertRefused(PickleWriter.proto(2).op(0x82, 1).stop(), "EXT1");
    assertRefused(PickleWriter.proto(5).op(0x97).stop(), "NEXT_BUFFER");
    assertRefused(PickleWriter.proto(2).op('(').str("module").str("os").op('t', 'Q').stop(),
        "persistent id of the kind 'module'");
    assertRefused(PickleWriter.proto(2).op(']').op('}').op('b').stop(), "sets the state of a list (BUILD)");

  }

  @Test
  void damageIsReportedAtItsByte() {
    PickleException e = assertThrows(PickleException.class, () -> run(PickleWriter.proto(2).op('0').stop()));
    assertFalse(e.isRefusal());
    assertEquals(2, e.position());
    assertEquals("pops more values than it pushed", e.getMessage());
    assertDamaged(new byte[0], "ends in the middle of an opcode");
    assertDamaged(PickleWriter.proto(2).op('h', 3).stop(), "reads memo entry 3, which it never stored");
    assertDamaged(PickleWriter.proto(2).op(0xff).stop(), "has the byte 0xff where an opcode belongs");
    assertDamaged(PickleWriter.proto(2).str("f").op(')', 'R').stop(), "calls a str");
    assertDamaged(PickleWriter.proto(2).op('P').raw("0\n").stop(), "persistent id that is not a storage");
    assertDamaged(PickleWriter.proto(2).op('(').str("storage").str("x").op('t', 'Q').stop(),
        "persistent id that is not a storage");
    assertDamaged(PickleWriter.proto(2).op('}', ']', ']', 's').stop(), "uses a list as a dict key");
    assertDamaged(PickleWriter.proto(2).op(']', 'K', 1, 'K', 2, 's').stop(), "applies SETITEM to a list");
    assertDamaged(PickleWriter.proto(0).raw("I12x\n.").stop(), "'12x' where an integer belongs");
    assertDamaged(PickleWriter.proto(2).op('X', 0xff, 0xff, 0xff, 0x7f).stop(), "declares a length of 2147483647");
  }

  @Test
  void lengthsPastTheEndAllocateNothing() {
    // BINUNICODE8 and BINBYTES8 with 2^62 bytes, LONG4 with 2^31 - 1: refused before any allocation
    assertDamaged(PickleWriter.proto(4).op(0x8d, 0, 0, 0, 0, 0, 0, 0, 0x40).stop(), "declares a length");
    assertDamaged(PickleWriter.proto(4).op(0x8e, 0, 0, 0, 0, 0, 0, 0, 0x40).stop(), "declares a length");
    assertDamaged(PickleWriter.proto(2).op(0x8b, 0xff, 0xff, 0xff, 0x7f).stop(), "declares a length");
  }

  @Test
  void marksNestOnlySoDeep() {
    PickleWriter w = PickleWriter.proto(2);
    for (int i = 0; i <= PickleMachine.MAX_MARKS; i++) {
      w.op('(');
    }
    assertDamaged(w.stop(), "nests marks more than " + PickleMachine.MAX_MARKS + " deep");
  }

  @Test
  void aPickleThatMakesTooManyValuesStopsBeforeMemoryDoes() {
    // one byte per push: a 4 MB pickle of DUP would otherwise hold 4 million references, and with
    // EMPTY_LIST 4 million lists
    byte[] pickle = new byte[PickleMachine.MAX_VALUES + 8];
    pickle[0] = (byte) 0x80;
    pickle[1] = 2;
    pickle[2] = ']';
    java.util.Arrays.fill(pickle, 3, pickle.length, (byte) '2');
    assertDamaged(pickle, "makes more than " + PickleMachine.MAX_VALUES + " values");
  }

  @Test
  void keysWithOneHashDoNotSlowADictDown() {
    // 2^15 str keys ("Aa" and "BB" have one hash) and 2^15 int keys with that same Long.hashCode: in a plain
    // HashMap<Object, Object> such mixed keys make lookups linear and this dict take minutes
    int n = 1 << 15;
    int hash = "Aa".repeat(16).hashCode();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x80, 2, '}', '('});
    for (int i = 0; i < n; i++) {
      StringBuilder key = new StringBuilder();
      for (int bit = 0; bit < 16; bit++) {
        key.append((i >> bit & 1) == 0 ? "Aa" : "BB");
      }
      out.write(0x8c);
      out.write(key.length());
      out.writeBytes(key.toString().getBytes());
      out.write('N');
      long high = i + 1;
      long intKey = high << 32 | ((high ^ hash) & 0xffffffffL); // Long.hashCode = high ^ low = hash
      out.writeBytes(new byte[] {(byte) 0x8a, 8});
      out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(intKey).array());
      out.write('N');
    }
    out.writeBytes(new byte[] {'u', '.'});
    Pickled.Dict d = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> (Pickled.Dict) run(out.toByteArray()));
    assertEquals(2 * n, d.size());
  }

  @Test
  void aKeyThatHoldsOneTupleManyTimesOverIsRefusedQuickly() {
    // level k is a tuple of 200 references to level k - 1: a few kB of pickle, a key of 200^6 items
    PickleWriter w = PickleWriter.proto(2).op('}').op('K', 1).op(0x85).op('q', 0).op('0');
    for (int level = 1; level <= 6; level++) {
      w.op('(');
      for (int i = 0; i < 200; i++) {
        w.op('h', level - 1);
      }
      w.op('t').op('q', level).op('0');
    }
    byte[] pickle = w.op('h', 6).op('N', 's').stop();
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertDamaged(pickle, "a dict key longer than"));
  }

  @Test
  void aTensorIsAStorageLocationNotItsData() throws PickleException {
    byte[] pickle = PickleWriter.proto(2).op('}', '(').str("w")
        .tensor("HalfStorage", "3", 24, 8, new long[] {2, 4}, new long[] {4, 1}).op('u').stop();
    Pickled.Dict d = (Pickled.Dict) run(pickle);
    TorchGlobals.TensorRef t = (TorchGlobals.TensorRef) d.get("w");
    assertEquals(new TorchGlobals.StorageRef("3", DType.F16, 24), t.storage());
    assertEquals(8, t.offset());
    assertArrayEquals(new long[] {2, 4}, t.size());
    assertTrue(t.isContiguous());
    assertFalse(new TorchGlobals.TensorRef(t.storage(), 0, new long[] {2, 4}, new long[] {1, 2}).isContiguous());
    assertTrue(new TorchGlobals.TensorRef(t.storage(), 0, new long[] {1, 4}, new long[] {99, 1}).isContiguous(),
        "a dimension of size 1 may have any stride, as in torch");
  }

  private static void assertRefused(byte[] pickle, String expected) {
    PickleException e = assertThrows(PickleException.class, () -> run(pickle));
    assertTrue(e.isRefusal(), "a refusal, not damage: " + e.getMessage());
    assertTrue(e.getMessage().contains(expected), "'" + expected + "' in: " + e.getMessage());
  }

  private static void assertDamaged(byte[] pickle, String expected) {
    PickleException e = assertThrows(PickleException.class, () -> run(pickle));
    assertFalse(e.isRefusal(), "damage, not a refusal: " + e.getMessage());
    assertTrue(e.getMessage().contains(expected), "'" + expected + "' in: " + e.getMessage());
  }
}
