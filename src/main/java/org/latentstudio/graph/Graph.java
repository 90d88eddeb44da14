package org.latentstudio.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole document: nodes in insertion order, links, and groups. Immutable, so an undo step can simply
 * keep the previous graph, and the executor can run a snapshot while the editor goes on changing.
 */
public record Graph(Map<NodeId, Node> nodes, List<Link> links, List<Group> groups) {

  private static final Graph EMPTY = new Graph(Map.of(), List.of(), List.of());

  public Graph {
    nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    links = List.copyOf(links);
    groups = List.copyOf(groups);
  }

  public static Graph empty() {
    return EMPTY;
  }

  public Optional<Node> node(NodeId id) {
    return Optional.ofNullable(nodes.get(id));
  }

  public Node require(NodeId id) {
    Node n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node '" + id + "' in this graph");
    }
    return n;
  }

  public boolean contains(NodeId id) {
    return nodes.containsKey(id);
  }

  public Collection<Node> nodeList() {
    return nodes.values();
  }

  /** Adds the node, or replaces the node with the same id keeping its place in the order. */
  public Graph withNode(Node node) {
    Map<NodeId, Node> copy = new LinkedHashMap<>(nodes);
    copy.put(node.id(), node);
    return new Graph(copy, links, groups);
  }

  public Graph withNodes(Collection<Node> added) {
    Map<NodeId, Node> copy = new LinkedHashMap<>(nodes);
    for (Node n : added) {
      copy.put(n.id(), n);
    }
    return new Graph(copy, links, groups);
  }

  /** Removes the nodes and every link that touches them. */
  public Graph withoutNodes(Set<NodeId> ids) {
    Map<NodeId, Node> copy = new LinkedHashMap<>(nodes);
    copy.keySet().removeAll(ids);
    List<Link> kept = links.stream()
        .filter(l -> !ids.contains(l.from().node()) && !ids.contains(l.to().node()))
        .toList();
    return new Graph(copy, kept, groups);
  }

  /** Adds the link, replacing whatever fed the same input before: an input has one source. */
  public Graph withLink(Link link) {
    List<Link> copy = new ArrayList<>(links.size() + 1);
    for (Link l : links) {
      if (!l.to().equals(link.to())) {
        copy.add(l);
      }
    }
    copy.add(link);
    return new Graph(nodes, copy, groups);
  }

  public Graph withoutLink(PortRef to) {
    return new Graph(nodes, links.stream().filter(l -> !l.to().equals(to)).toList(), groups);
  }

  public Graph withLinks(List<Link> newLinks) {
    return new Graph(nodes, newLinks, groups);
  }

  public Graph withGroups(List<Group> newGroups) {
    return new Graph(nodes, links, newGroups);
  }

  public Optional<Link> linkInto(PortRef input) {
    for (Link l : links) {
      if (l.to().equals(input)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  public List<Link> linksInto(NodeId node) {
    return links.stream().filter(l -> l.to().node().equals(node)).toList();
  }

  public List<Link> linksFrom(NodeId node) {
    return links.stream().filter(l -> l.from().node().equals(node)).toList();
  }

  /** An id not used yet in this graph, made from a readable base: "ksampler", "ksampler_2", ... */
  public NodeId freshId(String base) {
    String stem = base.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_\\-]", "_");
    if (stem.isEmpty()) {
      stem = "node";
    }
    NodeId candidate = NodeId.of(stem);
    for (int i = 2; nodes.containsKey(candidate); i++) {
      candidate = NodeId.of(stem + "_" + i);
    }
    return candidate;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Graph g
        && nodes.equals(g.nodes)
        && List.copyOf(nodes.keySet()).equals(List.copyOf(g.nodes.keySet()))
        && links.equals(g.links)
        && groups.equals(g.groups);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nodes, links, groups);
  }
}
