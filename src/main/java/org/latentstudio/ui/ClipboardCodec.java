package org.latentstudio.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.latentstudio.edit.Fragment;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.NodeId;
import org.latentstudio.graph.PortRef;
import org.latentstudio.io.Workflow;
import org.latentstudio.io.WorkflowCodec;
import org.latentstudio.io.WorkflowFormatException;

/**
 * Copied nodes travel as plain text: a complete workflow file holding just the copied part, so it pastes into
 * another studio window, into a text editor, or saves as a workflow of its own. Links that fed the part from
 * outside ride along in {@code extra.clipboard.incoming} for "paste with connections".
 */
public final class ClipboardCodec {
  private final WorkflowCodec codec = new WorkflowCodec();

  public String write(Fragment fragment) {
    ObjectNode extra = JsonNodeFactory.instance.objectNode();
    if (!fragment.incoming().isEmpty()) {
      ArrayNode in = extra.putObject("clipboard").putArray("incoming");
      for (Link l : fragment.incoming()) {
        in.addObject().put("from", l.from().toString()).put("to", l.to().toString());
      }
    }
    return codec.write(new Workflow(fragment.graph(), extra));
  }

  /** The fragment in the text, or empty when the text is not a workflow. */
  public Optional<Fragment> read(String text) {
    if (text == null || text.isBlank() || !text.strip().startsWith("{")) {
      return Optional.empty();
    }
    Workflow wf;
    try {
      wf = codec.parse(text, "the clipboard");
    } catch (WorkflowFormatException e) {
      return Optional.empty();
    }
    List<Link> incoming = new ArrayList<>();
    JsonNode in = wf.extra().path("clipboard").path("incoming");
    for (JsonNode l : in) {
      PortRef from = portRef(l.path("from").asText(""));
      PortRef to = portRef(l.path("to").asText(""));
      if (from != null && to != null) {
        incoming.add(new Link(from, to));
      }
    }
    return Optional.of(new Fragment(wf.graph(), incoming));
  }

  private static PortRef portRef(String s) {
    int dot = s.indexOf('.');
    if (dot <= 0 || dot == s.length() - 1 || !NodeId.isValid(s.substring(0, dot))) {
      return null;
    }
    return new PortRef(NodeId.of(s.substring(0, dot)), s.substring(dot + 1));
  }
}
