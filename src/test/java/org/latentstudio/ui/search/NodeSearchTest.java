package org.latentstudio.ui.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.nodes.BuiltinNodes;

class NodeSearchTest {
  private final List<NodeSchema> all = BuiltinNodes.registry().schemas();
  private final NodeSearch search = new NodeSearch();

  private String first(String query) {
    return search.search(all, query).get(0).typeId();
  }

  @Test
  void wordsAcronymsAndScatteredLettersFindTheirNode() {
    assertEquals("KSampler", first("ksampler"));
    assertEquals("KSampler", first("ks"));
    assertEquals("FloatMath", first("flt mth"));
    assertEquals("LatentUpscale", first("lat up"));
    assertEquals("CheckpointLoader", first("load ckpt"));
    assertEquals("CLIPTextEncode", first("prompt"));
  }

  @Test
  void categoriesMatchToo() {
    List<String> math = search.search(all, "math").stream().map(NodeSchema::typeId).toList();
    assertTrue(math.containsAll(List.of("IntMath", "FloatMath")), math.toString());
    assertTrue(search.search(all, "sampling").stream().anyMatch(s -> s.typeId().equals("KSamplerAdvanced")));
  }

  @Test
  void everyWordMustMatch() {
    assertTrue(search.search(all, "float zzzz").isEmpty());
  }

  @Test
  void recentlyUsedTypesComeFirstWithoutAQuery() {
    search.used("Note");
    search.used("ShowValue");
    List<NodeSchema> r = search.search(all, "");
    assertEquals("ShowValue", r.get(0).typeId());
    assertEquals("Note", r.get(1).typeId());
    assertEquals(all.size(), r.size());
  }

  @Test
  void wordStartsIncludeCamelHumps() {
    assertEquals(List.of(0, 1, 9), NodeSearch.wordStarts("KSampler Advanced"));
    assertEquals(List.of(0, 5, 10), NodeSearch.wordStarts("CLIP_text/encode"));
    assertTrue(NodeSearch.score("KSampler", "ks") > NodeSearch.score("Masks", "ks"), "an acronym beats a substring");
  }
}
