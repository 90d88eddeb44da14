package org.latentstudio.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.latentstudio.graph.NodeId;
import org.latentstudio.image.PngText;
import org.latentstudio.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflow reader refuses what is not exactly a workflow, and says what is wrong in the file's terms: the
 * node, the field, the value found. Each case here was accepted, or answered with a misleading message, by the
 * lenient reader (issue 14).
 */
class StrictReadingTest {
  private final WorkflowCodec codec = new WorkflowCodec();

  @TempDir
  Path dir;

  /** A small valid workflow; the cases below each break one thing in it. */
  static final String GOOD = """
      {"format": "latentstudio-workflow", "version": 2,
       "nodes": [{"id": "prompt", "type": "PrimitiveString", "title": "Prompt", "pos": [0, 0], "size": [320, 80],
                  "widgets": {"value": "a red circle"}},
                 {"id": "show", "type": "ShowValue"}],
       "links": [{"from": "prompt.STRING", "to": "show.value"}],
       "groups": [],
       "extra": {}}
      """;

  private String fails(byte[] content) throws Exception {
    Path file = dir.resolve("case.json");
    Files.write(file, content);
    WorkflowFormatException e = assertThrows(WorkflowFormatException.class, () -> codec.read(file),
        () -> "accepted: " + new String(content, StandardCharsets.UTF_8));
    String m = e.getMessage();
    assertTrue(m.contains(file.toString()), "names the file: " + m);
    for (String jargon : new String[] {"Jackson", "JsonReadFeature", "Feature", "java.", "`", "JsonToken",
        "corrupt", "Exception"}) {
      assertFalse(m.contains(jargon), () -> "'" + jargon + "' in a user's message: " + m);
    }
    return m;
  }

  private String fails(String json) throws Exception {
    return fails(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertHas(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), () -> "'" + p + "' not in: " + message);
    }
  }

  @Test
  void theGoodFileReads() throws Exception {
    assertEquals("a red circle", codec.parse(GOOD, "good").graph().require(NodeId.of("prompt")).widgets()
        .get("value"));
  }

  @Test
  void invalidUtf8IsRefusedWithItsPlaceNotReplaced() throws Exception {
    String text = GOOD.replace("a red circle", "a red \u0001circle");
    byte[] bad = text.getBytes(StandardCharsets.UTF_8);
    bad[text.indexOf('\u0001')] = (byte) 0xff;
    assertHas(fails(bad), "is not UTF-8 text", "0xFF", "line 3", "Save the file as UTF-8");
  }

  @Test
  void aSecondJsonObjectAfterTheFirstIsRefused() throws Exception {
    assertHas(fails(GOOD + "{\"version\": 2}\n"), "goes on after the workflow ends (line 8", "one JSON object");
  }

  @Test
  void anObjectWhereAPromptShouldBeNamesTheNodeAndWidget() throws Exception {
    assertHas(fails(GOOD.replace("\"a red circle\"", "{\"text\": \"a red circle\"}")),
        "node #1 ('prompt'), widget 'value': expected a value (text, a number or true/false), found an object");
    assertHas(fails(GOOD.replace("\"a red circle\"", "[\"a\"]")), "widget 'value'", "found a list");
  }

  @Test
  void aTextWhereANumberShouldBeIsNotReadAsZero() throws Exception {
    assertHas(fails(GOOD.replace("[320, 80]", "[320, \"\\u0000\"]")),
        "node #1 ('prompt'), field 'size': expected a number, found the text \"\\u0000\"");
    assertHas(fails(GOOD.replace("[320, 80]", "[320, null]")), "field 'size'", "null");
    assertHas(fails(GOOD.replace("[320, 80]", "[320, \"80\"]")), "field 'size'", "the text \"80\"");
  }

  @Test
  void misspelledFieldsAreRefusedWithDidYouMean() throws Exception {
    assertHas(fails(GOOD.replace("\"widgets\"", "\"widgetz\"")),
        "node #1 ('prompt'): unknown field 'widgetz'; did you mean 'widgets'?");
    assertHas(fails(GOOD.replace("\"links\"", "\"linkz\"")), "unknown field 'linkz'; did you mean 'links'?");
  }

  @Test
  void aByteOrderMarkIsJustAByteOrderMark() throws Exception {
    Path file = dir.resolve("bom.json");
    byte[] body = GOOD.getBytes(StandardCharsets.UTF_8);
    byte[] bom = new byte[body.length + 3];
    bom[0] = (byte) 0xef;
    bom[1] = (byte) 0xbb;
    bom[2] = (byte) 0xbf;
    System.arraycopy(body, 0, bom, 3, body.length);
    Files.write(file, bom);
    assertEquals(2, codec.read(file).graph().nodes().size());
  }

  @Test
  void notANumberAndInfinityAreNamedAsSuch() throws Exception {
    assertHas(fails(GOOD.replace("[0, 0]", "[NaN, 0]")), "holds NaN (line 2", "not a number JSON allows");
    assertHas(fails(GOOD.replace("[0, 0]", "[Infinity, 0]")), "holds Infinity", "not a number JSON allows");
    assertHas(fails(GOOD.replace("[0, 0]", "[-Infinity, 0]")), "Infinity", "not a number JSON allows");
  }

  @Test
  void hugeNumbersAreNamedAsTooLarge() throws Exception {
    assertHas(fails(GOOD.replace("[0, 0]", "[1e999, 0]")), "node #1 ('prompt'), pos: the number is too large");
    assertHas(fails(GOOD.replace("\"a red circle\"", "123456789012345678901234567890")),
        "node #1 ('prompt'), widget 'value': the number 123456789012345678901234567890 is too large");
    assertHas(fails(GOOD.replace("\"a red circle\"", "1e400")), "widget 'value': the number is too large");
    assertHas(fails(GOOD.replace("\"a red circle\"", "1" + "0".repeat(1200))), "a number 1201 digits long",
        "at most 1000");
  }

  @Test
  void aVersionWrittenAsTextSaysSo() throws Exception {
    assertHas(fails(GOOD.replace("\"version\": 2", "\"version\": \"2\"")),
        "its \"version\" is the text \"2\"; write it as a number: \"version\": 2");
    assertHas(fails(GOOD.replace("\"version\": 2", "\"version\": 1.5")), "\"version\" is the number 1.5",
        "whole number");
  }

  @Test
  void aListWhereATitleShouldBeNamesTheField() throws Exception {
    assertHas(fails(GOOD.replace("\"Prompt\"", "[]")),
        "node #1 ('prompt'), field 'title': expected text, found a list");
    assertHas(fails(GOOD.replace("\"prompt\", \"type\"", "5, \"type\"")), "node #1, field 'id': expected text, "
        + "found the number 5");
  }

  @Test
  void anotherFormatIsNamed() throws Exception {
    assertHas(fails(GOOD.replace("latentstudio-workflow", "something-else")),
        "its format is \"something-else\"");
  }

  @Test
  void aPictureWithoutAWorkflowSaysSoWhateverItsName() throws Exception {
    Path png = dir.resolve("photo.json");
    try (OutputStream out = Files.newOutputStream(png)) {
      PngText.write(new RgbImage(4, 4, new byte[48]), Map.of("Software", "an editor"), out);
    }
    var e = assertThrows(WorkflowFormatException.class, () -> codec.read(png));
    assertHas(e.getMessage(), "is a picture that has no workflow inside");
    assertFalse(e.getMessage().contains("corrupt"), e.getMessage());
  }

  @Test
  void aPictureTheStudioSavedOpensAsItsWorkflow() throws Exception {
    Path png = dir.resolve("txt2img_00001.png");
    try (OutputStream out = Files.newOutputStream(png)) {
      PngText.write(new RgbImage(4, 4, new byte[48]), Map.of("latentstudio", GOOD), out);
    }
    assertEquals(2, codec.read(png).graph().nodes().size());
  }

  @Test
  void otherBinaryFilesAreNamedForWhatTheyAre() throws Exception {
    assertHas(fails(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16}), "a JPEG picture");
    assertHas(fails(new byte[] {(byte) 0xff, (byte) 0xfe, '{', 0}), "UTF-16");
  }

  @Test
  void commentsAndQuotesGetPlainMessages() throws Exception {
    assertHas(fails(GOOD.replace("\"groups\": [],", "\"groups\": [], // none")), "has a comment (line 6",
        "JSON allows none");
    assertHas(fails(GOOD.replace("\"groups\"", "'groups'")), "is not valid JSON (line 6");
  }

  @Test
  void comfyUiFilesAreStillRecognisedBeforeTheVersionIsChecked() throws Exception {
    String comfy = """
        {"last_node_id": 9, "last_link_id": 9, "nodes": [{"id": 3, "type": "KSampler", "widgets_values": [1]}],
         "links": [[1, 4, 0, 3, 0, "MODEL"]], "groups": [], "config": {}, "extra": {}, "version": 0.4}
        """;
    String m = fails(comfy);
    assertHas(m, "ComfyUI");
    assertFalse(m.contains("invalid version"), m);
  }
}
