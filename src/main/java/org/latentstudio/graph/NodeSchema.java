package org.latentstudio.graph;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the editor, the validator and outside tools need to know about a node type, without running it.
 *
 * @param typeId     the stable id stored in workflow files
 * @param outputNode whether the node is a goal of a run (save, preview, show): runs start from output nodes
 */
public record NodeSchema(
    String typeId,
    String displayName,
    String category,
    String description,
    List<InputSpec> inputs,
    List<OutputSpec> outputs,
    boolean outputNode) {

  public NodeSchema {
    Objects.requireNonNull(typeId, "typeId");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(category, "category");
    description = description == null ? "" : description;
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    requireUniqueNames(typeId, inputs.stream().map(InputSpec::name).toList(), "input");
    requireUniqueNames(typeId, outputs.stream().map(OutputSpec::name).toList(), "output");
  }

  public static NodeSchema of(String typeId, String displayName, String category,
      List<InPort<?>> inputs, List<OutPort<?>> outputs) {
    return new NodeSchema(typeId, displayName, category, "",
        inputs.stream().map(InPort::spec).toList(), outputs.stream().map(OutPort::spec).toList(), false);
  }

  public NodeSchema asOutputNode() {
    return new NodeSchema(typeId, displayName, category, description, inputs, outputs, true);
  }

  public NodeSchema describedAs(String text) {
    return new NodeSchema(typeId, displayName, category, text, inputs, outputs, outputNode);
  }

  public Optional<InputSpec> input(String name) {
    return inputs.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  public Optional<OutputSpec> output(String name) {
    return outputs.stream().filter(o -> o.name().equals(name)).findFirst();
  }

  public List<String> inputNames() {
    return inputs.stream().map(InputSpec::name).toList();
  }

  public List<String> outputNames() {
    return outputs.stream().map(OutputSpec::name).toList();
  }

  private static void requireUniqueNames(String typeId, List<String> names, String what) {
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (!seen.add(n)) {
        throw new IllegalArgumentException("node type " + typeId + " declares the " + what + " '" + n + "' twice");
      }
    }
  }
}
