package org.latentstudio.edit;

/** Small helpers for command descriptions. */
final class Texts {
  private Texts() {}

  static String count(int n, String singular) {
    return n == 1 ? "1 " + singular : n + " " + singular + "s";
  }

  /** "3 nodes", "1 group", "2 nodes and 1 group". */
  static String items(int nodes, int groups) {
    if (groups == 0) {
      return count(nodes, "node");
    }
    if (nodes == 0) {
      return count(groups, "group");
    }
    return count(nodes, "node") + " and " + count(groups, "group");
  }
}
