package org.latentstudio.text;

import java.util.Arrays;

/**
 * Merge ranks by symbol pair, in a flat open-addressing table: BPE looks a pair up for every neighbour at every
 * step, and a {@code HashMap<Long, Integer>} would box each key.
 */
final class PairRanks {
  static final int NONE = Integer.MAX_VALUE;
  private static final long EMPTY = -1L;

  private final long[] keys;
  private final int[] ranks;
  private final int mask;

  PairRanks(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected * 2) - 1) << 1;
    keys = new long[capacity];
    ranks = new int[capacity];
    mask = capacity - 1;
    Arrays.fill(keys, EMPTY);
  }

  /** Sets the rank of (left, right); a pair put twice keeps the last rank. Ids are >= 0. */
  void put(int left, int right, int rank) {
    long key = pack(left, right);
    int slot = slot(key);
    while (keys[slot] != EMPTY && keys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    keys[slot] = key;
    ranks[slot] = rank;
  }

  /** The rank of (left, right), or {@link #NONE}. */
  int get(int left, int right) {
    long key = pack(left, right);
    for (int slot = slot(key); keys[slot] != EMPTY; slot = (slot + 1) & mask) {
      if (keys[slot] == key) {
        return ranks[slot];
      }
    }
    return NONE;
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 32) & mask;
  }

  private static long pack(int left, int right) {
    return ((long) left << 32) | right;
  }
}
