package org.latentstudio.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.Problem;
import org.latentstudio.runtime.ModelLibrary;

/**
 * What a client's prompt may reach on this machine. A file input ({@code fileKind} "image", as LoadImage's) names
 * a file in the input folder, in ComfyUI's forms ("cat.png", "sub/cat.png", "cat.png [input]"), and is replaced by
 * that file's real path; a model input names a model in the models folders, never a path. Anything else is a
 * problem on the node, so a client can read no file outside the server's folders.
 */
final class PromptGuard {
  private final NodeCatalog catalog;
  private final ModelLibrary models;
  private final ServerFolders folders;

  PromptGuard(NodeCatalog catalog, ModelLibrary models, ServerFolders folders) {
    this.catalog = catalog;
    this.models = models;
    this.folders = folders;
  }

  /** The graph with file inputs made real paths in the input folder, and the problems with what it names. */
  record Checked(Graph graph, List<Problem> problems) {}

  Checked check(Graph g) {
    List<Problem> problems = new ArrayList<>();
    Graph out = g;
    for (Node n : g.nodeList()) {
      Optional<NodeSchema> schema = catalog.schema(n.type());
      if (schema.isEmpty()) {
        continue;
      }
      for (InputSpec in : schema.get().inputs()) {
        if (in.fileKind() == null || g.linkInto(new PortRef(n.id(), in.name())).isPresent()) {
          continue;
        }
        Object v = n.widgets().get(in.name());
        String value = v == null ? "" : String.valueOf(v);
        if (value.isEmpty() && in.optional()) {
          continue; // an optional file left empty (a checkpoint's config): the node's own default applies
        }
        if (in.fileKind().equals("image")) {
          try {
            out = out.withNode(out.require(n.id()).withWidget(in.name(), inputFile(value).toString()));
          } catch (BadRequest e) {
            problems.add(new Problem(Problem.Kind.NOT_IN_LIST, n.id(), n.type(), "input '" + in.name() + "'",
                "'" + value + "': " + e.getMessage(), "upload the picture with POST /upload/image and use its name"));
          }
        } else if (!isModelName(in.fileKind(), value)
            && isModelName(in.fileKind(), org.latentstudio.interop.comfy.ModelNames.withoutExtension(value))) {
          // ComfyUI's "shapes.safetensors" for our model folder "shapes"
          out = out.withNode(out.require(n.id()).withWidget(in.name(),
              org.latentstudio.interop.comfy.ModelNames.withoutExtension(value)));
        } else if (!isModelName(in.fileKind(), value)) {
          problems.add(new Problem(Problem.Kind.MODEL, n.id(), n.type(), "input '" + in.name() + "'",
              "'" + value + "' is not a " + in.fileKind() + " in the models folders (found: "
                  + String.join(", ", modelNames(in.fileKind())) + ")", "use one of those names"));
        }
      }
    }
    return new Checked(out, problems);
  }

  /** A picture in the input folder by ComfyUI's annotated name: "name.png", "sub/name.png", "name.png [input]". */
  Path inputFile(String name) throws BadRequest {
    String n = name.strip();
    Path base = folders.input();
    if (n.endsWith("]") && n.lastIndexOf(" [") > 0) {
      String type = n.substring(n.lastIndexOf(" [") + 2, n.length() - 1);
      base = folders.byType(type);
      n = n.substring(0, n.lastIndexOf(" ["));
    }
    n = n.replace('\\', '/');
    int slash = n.lastIndexOf('/');
    Path file = ServerFolders.inside(base, slash < 0 ? "" : n.substring(0, slash), n.substring(slash + 1));
    if (!Files.isRegularFile(file)) {
      throw new BadRequest(404, "not_found", "no such picture in the input folder " + folders.input());
    }
    try {
      return ServerFolders.realInside(base, file);
    } catch (IOException e) {
      throw BadRequest.of("cannot read it: " + e.getMessage());
    }
  }

  /** A model's bare name that resolves to a folder directly in one of the models folders; never a path. */
  private boolean isModelName(String kind, String value) {
    if (value.isEmpty() || value.contains("/") || value.contains("\\") || value.equals(".") || value.equals("..")) {
      return false;
    }
    if (kind.equals("checkpoint")) {
      try {
        Path p = models.resolveCheckpoint(value).toAbsolutePath().normalize();
        Path parent = p.getParent();
        boolean inFolder = parent != null && (models.dirs().contains(parent)
            || parent.getFileName().toString().equals("checkpoints") && models.dirs().contains(parent.getParent()));
        return inFolder && (Files.isRegularFile(p.resolve("model_index.json")) || Files.isRegularFile(p));
      } catch (org.latentstudio.runtime.ModelException e) {
        return false;
      }
    }
    return modelNames(kind).contains(value);
  }

  private List<String> modelNames(String kind) {
    for (ModelLibrary.Kind k : ModelLibrary.Kind.values()) {
      if (k.name().equalsIgnoreCase(kind)) {
        return models.scan(k).stream().map(ModelLibrary.Entry::name).toList();
      }
    }
    return List.of();
  }
}
