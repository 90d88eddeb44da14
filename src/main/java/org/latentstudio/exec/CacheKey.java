package org.latentstudio.exec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.NodeCatalog;
import org.latentstudio.graph.NodeId;

/**
 * Identifies a node's result by what determines it: the node type, its literal input values, the keys of the
 * nodes feeding it, and any fingerprint the type adds (a file's size and date). As in ComfyUI's node
 * signature, identical upstream parts share keys whatever their node ids, so a renamed or duplicated subgraph
 * still hits the cache.
 */
public record CacheKey(String hex) {

  /** Keys for every node of a plan, computed in plan order so upstream keys exist when needed. */
  public static Map<NodeId, CacheKey> forPlan(Plan plan, NodeCatalog catalog, Services services) {
    return forPlan(plan, catalog, fingerprints(plan, services));
  }

  /**
   * Each node's fingerprint (empty for most types), which the node may read back while it runs
   * ({@link ExecContext#fingerprint}) instead of stamping its files again.
   */
  public static Map<NodeId, String> fingerprints(Plan plan, Services services) {
    Map<NodeId, String> fingerprints = new HashMap<>();
    for (PlannedNode node : plan.order()) {
      fingerprints.put(node.id(), node.type().fingerprint(node.literals(), services));
    }
    return fingerprints;
  }

  /** Keys for every node of a plan whose fingerprints were taken ({@link #fingerprints}). */
  public static Map<NodeId, CacheKey> forPlan(Plan plan, NodeCatalog catalog, Map<NodeId, String> fingerprints) {
    Map<NodeId, CacheKey> keys = new HashMap<>();
    MessageDigest digest = sha256();
    StringBuilder sb = new StringBuilder(256);
    for (PlannedNode node : plan.order()) {
      sb.setLength(0);
      sb.append(node.typeId()).append('\u0000');
      for (InputSpec spec : catalog.schema(node.typeId()).orElseThrow().inputs()) {
        InputSource src = node.inputs().get(spec.name());
        sb.append(spec.name()).append('=');
        if (src instanceof InputSource.Literal lit) {
          appendLiteral(sb, lit.value());
        } else if (src instanceof InputSource.Linked link) {
          sb.append("@").append(keys.get(link.output().node()).hex()).append('.').append(link.output().port());
        } else {
          sb.append('-');
        }
        sb.append('\u0000');
      }
      sb.append(fingerprints.get(node.id()));
      digest.reset();
      byte[] hash = digest.digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      keys.put(node.id(), new CacheKey(HexFormat.of().formatHex(hash, 0, 16)));
    }
    return keys;
  }

  private static void appendLiteral(StringBuilder sb, Object v) {
    String text = String.valueOf(v);
    // type tag and length make "1" (INT) and "1" (STRING), or "a=b" inside a value, unambiguous
    sb.append(v.getClass().getSimpleName().charAt(0)).append(text.length()).append(':').append(text);
  }

  /** Copied for each plan: looking the algorithm up among the security providers cost more than the hashing. */
  private static final MessageDigest SHA256 = newSha256();

  private static MessageDigest sha256() {
    try {
      return (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return hex;
  }
}
