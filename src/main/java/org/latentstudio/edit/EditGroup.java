package org.latentstudio.edit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Group;

/** Replaces a group's title, colour or bounds (resizing it, say); edits of the same group merge. */
public record EditGroup(int index, Group group) implements Command {
  public EditGroup {
    Objects.requireNonNull(group, "group");
  }

  @Override
  public Graph apply(Graph graph) {
    if (index < 0 || index >= graph.groups().size()) {
      throw new IllegalArgumentException("there is no group #" + index);
    }
    List<Group> all = new ArrayList<>(graph.groups());
    all.set(index, group);
    return graph.withGroups(all);
  }

  @Override
  public String description() {
    return "Edit group '" + group.title() + "'";
  }

  @Override
  public Optional<Command> mergeWith(Command next) {
    return next instanceof EditGroup e && e.index == index ? Optional.of(e) : Optional.empty();
  }
}
