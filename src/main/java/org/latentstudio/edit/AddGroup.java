package org.latentstudio.edit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.latentstudio.graph.Graph;
import org.latentstudio.graph.Group;

/** Adds a group frame. */
public record AddGroup(Group group) implements Command {
  public AddGroup {
    Objects.requireNonNull(group, "group");
  }

  @Override
  public Graph apply(Graph graph) {
    List<Group> all = new ArrayList<>(graph.groups());
    all.add(group);
    return graph.withGroups(all);
  }

  @Override
  public String description() {
    return "Add group '" + group.title() + "'";
  }
}
