package org.latentstudio.ui.canvas;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import org.latentstudio.edit.AddGroup;
import java.util.ArrayList;
import org.latentstudio.edit.AddNodes;
import org.latentstudio.edit.Command;
import org.latentstudio.edit.Composite;
import org.latentstudio.edit.Connect;
import org.latentstudio.edit.Disconnect;
import org.latentstudio.edit.EditGroup;
import org.latentstudio.edit.NodeFactory;
import org.latentstudio.edit.RemoveItems;
import org.latentstudio.edit.SetMode;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Group;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeMode;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutputSpec;
import org.latentstudio.graph.PortType;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.Rect;
import org.latentstudio.graph.Vec2;
import org.latentstudio.ui.Palette;

/**
 * The canvas's edits that menus, keys and panels share: add, delete, mute, group, reroute. Each builds one command
 * for the document (the canvas never changes the graph itself) and then sets the selection to what the user
 * will want to act on next.
 */
final class EditActions {
  private final GraphCanvas canvas;

  EditActions(GraphCanvas canvas) {
    this.canvas = canvas;
  }

  void deleteSelection() {
    if (canvas.selection().isEmpty() && canvas.selectedGroups().isEmpty()) {
      return;
    }
    canvas.document().execute(new RemoveItems(Set.copyOf(canvas.selection()), Set.copyOf(canvas.selectedGroups())));
    canvas.clearSelection();
  }

  /** Mutes the selected nodes, or unmutes them if all are muted. */
  void toggleMode(NodeMode mode) {
    if (!canvas.selection().isEmpty()) {
      canvas.document().execute(SetMode.toggle(canvas.graph(), Set.copyOf(canvas.selection()), mode));
    }
  }

  /** Adds a node of this type with its top-left corner at a canvas point, and selects it. */
  Node addNode(NodeSchema schema, Point2D worldAt) {
    Node n = NodeFactory.create(canvas.graph(), schema, new Vec2(worldAt.getX(), worldAt.getY()),
        NodeLayout.preferredSize(schema));
    canvas.document().execute(new AddNodes("Add " + schema.displayName(), List.of(n), List.of(), List.of()));
    canvas.nodeSearch().used(schema.typeId());
    canvas.selection().clear();
    canvas.selectedGroups().clear();
    canvas.selection().add(n.id());
    return n;
  }

  /** Makes the loader node for a model dragged in from the models panel. */
  Optional<Node> addLoaderFor(String kind, String modelName, Point2D worldAt) {
    for (NodeSchema s : canvas.catalog().schemas()) {
      for (InputSpec in : s.inputs()) {
        if (kind.equals(in.fileKind())) {
          Node n = NodeFactory.create(canvas.graph(), s, new Vec2(worldAt.getX(), worldAt.getY()),
              NodeLayout.preferredSize(s)).withWidget(in.name(), modelName);
          canvas.document().execute(
              new AddNodes("Add " + s.displayName() + " for " + modelName, List.of(n), List.of(), List.of()));
          canvas.selection().clear();
          canvas.selection().add(n.id());
          return Optional.of(n);
        }
      }
    }
    canvas.host().status("No loader node for " + kind + " models is installed");
    canvas.showHint("No loader node for " + kind + " models", canvas.lastMouse());
    return Optional.empty();
  }

  /** A Load Image node for a picture dropped on the canvas, with the picture chosen; one undo step. */
  Optional<Node> addImageLoader(java.nio.file.Path picture, Point2D worldAt) {
    Optional<NodeSchema> load = canvas.catalog().schema("LoadImage");
    if (load.isEmpty()) {
      return Optional.empty();
    }
    Node n = NodeFactory.create(canvas.graph(), load.get(), new Vec2(worldAt.getX(), worldAt.getY()),
        NodeLayout.preferredSize(load.get())).withWidget("image", picture.toAbsolutePath().toString());
    canvas.document().execute(new AddNodes("Add Load Image for " + picture.getFileName(), List.of(n), List.of(),
        List.of()));
    canvas.selection().clear();
    canvas.selection().add(n.id());
    return Optional.of(n);
  }

  /**
   * A LoRA dropped on a wire that leaves a checkpoint (or a LoRA loader before it): a loader goes in between, fed
   * by the source's MODEL and CLIP, and every user of those outputs is moved onto the loader's, as one undo step.
   * A source with a MODEL output but no CLIP gets the model-only loader. Empty if the wire carries neither.
   */
  Optional<Node> insertLoraOn(Link wire, String loraName) {
    Graph g = canvas.graph();
    Node source = g.node(wire.from().node()).orElse(null);
    NodeSchema sourceSchema = source == null ? null : canvas.catalog().schema(source.type()).orElse(null);
    if (sourceSchema == null) {
      return Optional.empty();
    }
    Optional<OutputSpec> model = sourceSchema.outputs().stream().filter(o -> o.type() == PortType.MODEL).findFirst();
    Optional<OutputSpec> clip = sourceSchema.outputs().stream().filter(o -> o.type() == PortType.CLIP).findFirst();
    boolean onModel = model.isPresent() && model.get().name().equals(wire.from().port());
    boolean onClip = clip.isPresent() && clip.get().name().equals(wire.from().port());
    if (!onModel && !(onClip && model.isPresent())) {
      return Optional.empty();
    }
    Optional<NodeSchema> loader = canvas.catalog().schema(clip.isPresent() ? "LoraLoader" : "LoraLoaderModelOnly");
    if (loader.isEmpty()) {
      return Optional.empty();
    }
    // below the checkpoint, where a graph laid out left to right usually has room, rather than over the wire
    Vec2 size = NodeLayout.preferredSize(loader.get());
    Node n = NodeFactory.create(g, loader.get(), new Vec2(source.position().x(),
        source.position().y() + source.size().y() + 40), size).withWidget("lora_name", loraName);
    List<Command> steps = new ArrayList<>();
    steps.add(AddNodes.one(n));
    for (Optional<OutputSpec> out : List.of(model, clip)) {
      if (out.isEmpty()) {
        continue;
      }
      PortRef from = new PortRef(source.id(), out.get().name());
      String in = out.get().type() == PortType.MODEL ? "model" : "clip";
      for (Link l : g.linksFrom(source.id())) {
        if (l.from().equals(from)) {
          steps.add(new Connect(new Link(new PortRef(n.id(), out.get().name()), l.to())));
        }
      }
      steps.add(new Connect(new Link(from, new PortRef(n.id(), in))));
    }
    canvas.document().execute(new Composite("Insert " + loader.get().displayName() + " " + loraName, steps));
    canvas.selection().clear();
    canvas.selection().add(n.id());
    return Optional.of(n);
  }

  /** Splits a wire with a reroute dot at a canvas point; one undo step. */
  void insertReroute(Link wire, Point2D wp) {
    Optional<NodeSchema> reroute = canvas.catalog().schema("Reroute");
    if (reroute.isEmpty()) {
      return;
    }
    Node dot = NodeFactory.create(canvas.graph(), reroute.get(),
        new Vec2(wp.getX() - NodeLayout.REROUTE_SIZE.x() / 2, wp.getY() - NodeLayout.REROUTE_SIZE.y() / 2),
        NodeLayout.REROUTE_SIZE);
    canvas.document().execute(Composite.of("Insert reroute",
        AddNodes.one(dot),
        new Connect(new Link(wire.from(), new PortRef(dot.id(), "input"))),
        new Connect(new Link(new PortRef(dot.id(), "output"), wire.to()))));
  }

  void deleteLink(Link wire) {
    canvas.document().execute(new Disconnect(wire.to()));
  }

  // ---------------------------------------------------------------- groups

  /** Frames the selected nodes in a new group, or puts an empty one at the pointer, and selects it. */
  void groupSelection() {
    Bounds b = canvas.hits().contentBounds(true);
    if (b == null) {
      addGroupAt(canvas.screenToWorld(canvas.lastMouse()));
    } else {
      canvas.document().execute(new AddGroup(new Group("Group", Palette.DEFAULT_GROUP_COLOR, GroupFrames.around(b))));
    }
    canvas.selection().clear();
    canvas.selectedGroups().clear();
    canvas.selectedGroups().add(canvas.graph().groups().size() - 1);
  }

  /** An empty group with its corner at a canvas point. */
  void addGroupAt(Point2D p) {
    canvas.document().execute(new AddGroup(new Group("Group", Palette.DEFAULT_GROUP_COLOR,
        new Rect(p.getX(), p.getY(), 400, 300))));
  }

  /** Gives group {@code index} a new colour, keeping its title and bounds as in {@code g}. */
  void recolourGroup(int index, Group g, String colour) {
    canvas.document().execute(new EditGroup(index, new Group(g.title(), colour, g.bounds())));
  }

  /** Fits a group's frame around the nodes it holds. */
  void fitGroup(int index) {
    Bounds b = canvas.hits().nodeBounds(canvas.hits().nodesInGroup(index));
    if (b == null) {
      return;
    }
    Group g = canvas.graph().groups().get(index);
    canvas.document().execute(new EditGroup(index, g.withBounds(GroupFrames.around(b))));
    canvas.document().seal();
  }

  /** Removes the frame and leaves its nodes. */
  void removeGroup(int index) {
    canvas.document().execute(new RemoveItems(Set.of(), Set.of(index)));
    canvas.selectedGroups().clear();
  }

  void removeGroupAndNodes(int index) {
    canvas.document().execute(new RemoveItems(canvas.hits().nodesInGroup(index), Set.of(index)));
    canvas.clearSelection();
  }
}
