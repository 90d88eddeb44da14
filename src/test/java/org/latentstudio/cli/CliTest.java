package org.latentstudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir
  Path dir;

  record Result(int exit, String out, String err) {
    String all() {
      return out + err;
    }
  }

  static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = LatentStudioCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  static String workflow(String name) {
    return Path.of("src/test/resources/workflows", name).toString();
  }

  private static void assertNoStackTrace(Result r) {
    assertFalse(r.all().contains("\tat "), () -> "stack trace in output:\n" + r.all());
    assertFalse(r.all().contains("Exception"), () -> "exception class name in output:\n" + r.all());
  }

  /** Help is there for every command, asked for after it ({@code run --help}) as users type it. */
  @Test
  void everyCommandAnswersHelp() {
    for (String command : java.util.List.of("run", "validate", "export", "nodes", "bench", "tokenize", "serve")) {
      Result r = cli(command, "--help");
      assertEquals(0, r.exit(), command + ": " + r.err());
      assertTrue(r.out().startsWith("Usage: latentstudio " + command), command + ": " + r.out());
    }
  }

  /** The version, and what a bug report needs with it: ONNX Runtime's, Java's and the system's. */
  @Test
  void versionNamesOnnxRuntimeJavaAndTheSystem() {
    Result r = cli("--version");
    assertEquals(0, r.exit(), r::all);
    java.util.List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).startsWith("Latent Studio "), r.out());
    assertTrue(lines.get(1).matches("ONNX Runtime \\d+\\.\\d+\\.\\d+ \\(onnxruntime(_gpu)?\\), Java "
        + java.util.regex.Pattern.quote(System.getProperty("java.version")) + " .*"), r.out());
  }

  /** Help and the version start nothing: no ONNX Runtime loaded in the background, and none of its lines. */
  @Test
  void helpStartsNoRuntime() {
    for (String[] args : java.util.List.of(new String[] {"run", "--help"}, new String[] {"bench", "-h"},
        new String[] {"serve", "--help"}, new String[] {"run", "-V"})) {
      Result r = cli(args);
      assertEquals(0, r.exit(), r::all);
      assertFalse(r.err().contains("ONNX Runtime"), String.join(" ", args) + ":\n" + r.err());
    }
  }

  /** validate --inputs: what --set can change, with the values after this line's own --set, one a line. */
  @Test
  void validateListsTheInputsSetCanChange() {
    Result r = cli("validate", "graphs/txt2img.json", "--inputs", "--set", "positive.text=a red\nsquare");
    assertEquals(0, r.exit(), r::all);
    java.util.List<String> lines = r.out().lines().toList();
    assertTrue(lines.contains("sampler.steps=20"), r.out());
    assertTrue(lines.contains("positive.text=a red\\nsquare"), "a line break written as \\n: " + r.out());
    assertFalse(r.out().contains("positive.clip"), "an input only a link can feed is not listed: " + r.out());
    assertTrue(lines.get(lines.size() - 1).startsWith("ok: "), r.out());
  }

  /** validate --choices: an input's values where they come from a list, and a misspelt input named. */
  @Test
  void validateListsTheValuesOfAListedInput() {
    Result r = cli("validate", "graphs/txt2img.json", "--choices", "sampler.scheduler");
    assertEquals(0, r.exit(), r::all);
    assertTrue(r.out().lines().toList().containsAll(java.util.List.of("normal", "karras")), r.out());
    Result typo = cli("validate", "graphs/txt2img.json", "--choices", "sampler.schedular");
    assertEquals(LatentStudioCommand.BAD_INPUT, typo.exit(), typo::all);
    assertTrue(typo.err().contains("did you mean 'scheduler'"), typo.err());
  }

  @Test
  void runPrintsTheResultAndExitsZero() {
    Result r = cli("run", workflow("math.json"), "--output", dir.toString());
    assertEquals(0, r.exit(), r::all);
    assertTrue(r.out().contains("show: 42"), r.out());
    assertTrue(r.err().contains("> area (IntMath)"), r.err());
  }

  @Test
  void setChangesInputsBeforeRunning() {
    Result r = cli("run", workflow("math.json"), "--set", "width.value=10", "--set", "area.operation=add");
    assertEquals(0, r.exit(), r::all);
    assertTrue(r.out().contains("show: 17"), r.out());
  }

  @Test
  void setOnAMissingNodeOrInputIsAClearError() {
    Result node = cli("run", workflow("math.json"), "--set", "widht.value=10");
    assertEquals(2, node.exit());
    assertTrue(node.err().contains("no node 'widht'") && node.err().contains("did you mean 'width'"), node.err());
    assertNoStackTrace(node);

    Result input = cli("run", workflow("math.json"), "--set", "area.operaton=add");
    assertEquals(2, input.exit());
    assertTrue(input.err().contains("has no input 'operaton'") && input.err().contains("a, b, operation"),
        input.err());

    Result value = cli("run", workflow("math.json"), "--set", "width.value=wide");
    assertEquals(2, value.exit());
    assertTrue(value.err().contains("'wide' is not a whole number"), value.err());

    Result syntax = cli("run", workflow("math.json"), "--set", "width=3");
    assertEquals(2, syntax.exit());
    assertTrue(syntax.err().contains("NODE_ID.INPUT=VALUE"), syntax.err());
  }

  @Test
  void outOfRangeValuesNameTheNode() {
    Result r = cli("run", workflow("math.json"), "--set", "area.operation=cube");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("node 'area' (IntMath), input 'operation': value 'cube' is not one of"), r.err());
  }

  @Test
  void failingNodeIsNamedAndExitIsNonZero() {
    Result r = cli("run", workflow("math.json"), "--set", "area.operation=divide", "--set", "height.value=0");
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("error: node 'area' (IntMath) failed: division by zero"), r.err());
    assertNoStackTrace(r);
  }

  @Test
  void badFilesGiveClearMessagesAndNonZeroExits() throws Exception {
    Path truncated = dir.resolve("truncated.json");
    String good = Files.readString(Path.of(workflow("math.json")));
    Files.writeString(truncated, good.substring(0, 200));
    Path corrupt = dir.resolve("corrupt.json");
    Files.writeString(corrupt, "{\"version\": 2, \"nodes\": [ ,,, ]}");
    Path future = dir.resolve("future.json");
    Files.writeString(future, "{\"version\": 7, \"nodes\": []}");

    for (String[] c : new String[][] {
        {truncated.toString(), "truncated"}, {corrupt.toString(), "not valid JSON"},
        {future.toString(), "newer Latent Studio"}, {workflow("cycle.json"), "cycle: a -> b -> a"},
        {workflow("wrong-type.json"), "node 'area' (IntMath), input 'a': expects INT but is linked to text.STRING"},
        {dir.resolve("missing.json").toString(), "does not exist"}}) {
      for (String command : new String[] {"run", "validate"}) {
        Result r = cli(command, c[0]);
        assertEquals(2, r.exit(), () -> command + " " + c[0] + ": " + r.all());
        assertTrue(r.err().contains(c[1]), () -> command + " " + c[0] + ": " + r.err());
        assertNoStackTrace(r);
      }
    }
  }

  /** The same verdict from both commands, the exit code and the message (issue 14: validate said ok to these). */
  @Test
  void validateAndRunAgree() throws Exception {
    String math = Files.readString(Path.of(workflow("math.json")));
    String v1Bypassed = """
        {"version": 1,
         "nodes": [{"id": "a", "type": "PrimitiveInt", "mode": 4, "widgets": {"value": 7}},
                   {"id": "show", "type": "ShowValue", "mode": 0}],
         "links": [["a", "INT", "show", "value"]]}
        """;
    String[][] cases = {
        {math.replace("\"ShowValue\"", "\"IntMath\"").replace("\"show.value\"", "\"show.a\""),
            "the workflow has no active output node"},
        {"{\"version\": 2, \"nodes\": [], \"links\": []}", "the workflow has no active output node"},
        {v1Bypassed, "node 'show' (ShowValue), input 'value': comes from node 'a', which is bypassed but has no "
            + "linked INT input to pass through"},
        {math.replace("\"value\": 6", "\"valeu\": 6"),
            "node 'width' (PrimitiveInt), widget 'valeu': PrimitiveInt has no input 'valeu'; did you mean 'value'?"},
    };
    for (String[] c : cases) {
      Path file = dir.resolve("case.json");
      Files.writeString(file, c[0]);
      for (String command : new String[] {"validate", "run"}) {
        Result r = command.equals("run") ? cli(command, file.toString(), "--output", dir.resolve("out").toString())
            : cli(command, file.toString());
        assertEquals(2, r.exit(), () -> command + ": " + r.all());
        assertTrue(r.err().contains(c[1]), () -> command + ": " + r.err());
        assertNoStackTrace(r);
      }
    }
  }

  @Test
  void problemsInNodesTheRunDoesNotNeedAreWarningsInBothCommands() throws Exception {
    String math = Files.readString(Path.of(workflow("math.json")));
    Path file = dir.resolve("stray.json");
    Files.writeString(file, math.replace("\"nodes\": [ {", "\"nodes\": [ {\"id\": \"stray\", \"type\": "
        + "\"IntMath\", \"widgets\": {\"operation\": \"cube\"}}, {"));
    Result run = cli("run", file.toString());
    assertEquals(0, run.exit(), run::all);
    Result validate = cli("validate", file.toString());
    assertEquals(0, validate.exit(), validate::all);
    assertTrue(validate.err().contains("warning: node 'stray' (IntMath), input 'operation': value 'cube' is not one"),
        validate.err());
  }

  @Test
  void anEmptyOutputFolderIsRefusedNotTakenAsTheWorkingFolder() {
    for (String command : new String[] {"run", "bench"}) {
      Result r = cli(command, workflow("math.json"), "-o", "");
      assertEquals(2, r.exit(), () -> command + ": " + r.all());
      assertTrue(r.err().contains("--output is empty; name a folder"), r.err());
    }
  }

  /** A file named as the output folder is refused before anything runs, not after the sampling at the save. */
  @Test
  void anOutputFolderThatIsAFileIsRefusedBeforeTheRun(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("notes.txt"), "mine");
    for (String[] args : new String[][] {{"run", workflow("math.json"), "-o", file.toString()},
        {"bench", workflow("math.json"), "-o", file.toString()}, {"serve", "--output", file.toString()},
        {"serve", "--input", file.toString()}}) {
      Result r = cli(args);
      assertEquals(2, r.exit(), () -> String.join(" ", args) + ": " + r.all());
      assertTrue(r.err().contains(file + " is a file, not a folder; name a folder"), r.err());
      assertFalse(r.err().contains("running"), r.err());
    }
    assertEquals("mine", Files.readString(file));
  }

  /** The settings' output folder is checked as --output is, and the message says where to change it. */
  @Test
  void aSettingsOutputFolderThatIsAFileIsRefusedBeforeTheRun(@TempDir Path tmp) throws Exception {
    Path notes = Files.writeString(tmp.resolve("notes.txt"), "mine");
    System.setProperty("latentstudio.output", notes.toString());
    try {
      Result r = cli("run", workflow("math.json"));
      assertEquals(2, r.exit(), r::all);
      assertTrue(r.err().contains("the output folder " + notes + " is a file, not a folder; change outputFolder in "
          + "the studio's Preferences or settings.json, or give --output"), r.err());
      assertFalse(r.err().contains("running"), r.err());
    } finally {
      System.clearProperty("latentstudio.output");
    }
  }

  /** validate names every file the run would not find, with the node and input, before any run. */
  @Test
  void validateNamesTheFilesTheRunWouldNotFind() {
    Result r = cli("validate", "graphs/img2img.json", "--set", "checkpoint.path=shapez", "--set",
        "image.image=/no/such/photo.png");
    assertEquals(2, r.exit(), r::all);
    assertTrue(r.err().contains("error: node 'checkpoint' (CheckpointLoader), input 'path': no checkpoint 'shapez' "
        + "in the models directories"), r.err());
    assertTrue(r.err().contains("(found: shapes)"), "with the names it has: " + r.err());
    assertTrue(r.err().contains("error: node 'image' (LoadImage), input 'image': image file '/no/such/photo.png' "
        + "does not exist"), r.err());
    assertTrue(r.err().contains("2 problems"), r.err());

    Result lora = cli("validate", "graphs/lora.json", "--set", "lora.lora_name=missing.safetensors");
    assertEquals(2, lora.exit(), lora::all);
    assertTrue(lora.err().contains("node 'lora' (LoraLoader), input 'lora_name': no LoRA 'missing.safetensors'"),
        lora.err());
    Result off = cli("validate", "graphs/lora.json", "--set", "lora.lora_name=missing.safetensors", "--set",
        "lora.strength_model=0", "--set", "lora.strength_clip=0");
    assertEquals(0, off.exit(), () -> "a LoRA at strength 0 is not read, by the run either: " + off.all());
    assertEquals(0, cli("validate", "graphs/controlnet.json").exit(), "the bundled files are found");
    Result net = cli("validate", "graphs/controlnet.json", "--set", "controlnet.control_net_name=/tmp/none");
    assertTrue(net.err().contains("input 'control_net_name': /tmp/none does not exist"), net.err());
  }

  /** export -o names a file: a folder is refused at once (it wrote a temp file beside it and failed cryptically). */
  @Test
  void exportToAFolderIsRefused(@TempDir Path tmp) {
    Result r = cli("export", "graphs/txt2img.json", "--comfy-api", "-o", tmp.toString());
    assertEquals(2, r.exit(), r::all);
    assertTrue(r.err().contains(tmp + " is a folder; name a file in it, e.g. " + tmp.resolve("workflow.json")),
        r.err());
    assertEquals(0, cli("export", "graphs/txt2img.json", "--comfy-api", "-o", tmp.resolve("api.json").toString())
        .exit());
    assertTrue(Files.isRegularFile(tmp.resolve("api.json")));
  }

  @Test
  void validateTakesTheSameSetsAsRun() {
    Result r = cli("validate", workflow("math.json"), "--set", "area.operation=cube");
    assertEquals(2, r.exit(), r::all);
    assertTrue(r.err().contains("value 'cube' is not one of"), r.err());
  }

  @Test
  void validateAcceptsAGoodFile() {
    Result r = cli("validate", workflow("math.json"));
    assertEquals(0, r.exit(), r::all);
    assertTrue(r.out().contains("ok:") && r.out().contains("4 nodes, 3 links"), r.out());
  }

  @Test
  void nodesJsonListsTheWholeCatalog() throws Exception {
    Result r = cli("nodes", "--json");
    assertEquals(0, r.exit());
    JsonNode catalog = new ObjectMapper().readTree(r.out());
    JsonNode intMath = catalog.get("nodes").get("IntMath");
    assertEquals("utils/math", intMath.get("category").asText());
    JsonNode op = intMath.get("inputs").get(2);
    assertEquals("operation", op.get("name").asText());
    assertEquals("add", op.get("default").asText());
    assertTrue(op.get("choices").size() >= 5);
    assertEquals("INT", intMath.get("outputs").get(0).get("type").asText());
    assertTrue(catalog.get("nodes").get("ShowValue").get("output_node").asBoolean());
  }

  @Test
  void unknownCommandsAndOptionsAreUsageErrors() {
    Result r = cli("frobnicate");
    assertEquals(2, r.exit());
    Result o = cli("run", workflow("math.json"), "--colour");
    assertEquals(2, o.exit());
    assertTrue(o.err().contains("--colour"), o.err());
  }
}
