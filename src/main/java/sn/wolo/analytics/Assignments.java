package sn.wolo.analytics;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic, sticky A/B assignment: SHA-256 of "test name:subject" mapped to [0, 1) and placed
 * on the cumulative traffic allocation (variants in name order). Same answer every time, on every
 * instance, with no database read.
 */
public final class Assignments {

  private Assignments() {
  }

  public static String variant(String testName, JsonObject allocation, String subject) {
    double u = unit(testName + ":" + subject);
    List<String> names = new ArrayList<>(allocation.fieldNames());
    names.sort(String::compareTo);
    double cumulative = 0;
    for (String name : names) {
      cumulative += allocation.getDouble(name);
      if (u < cumulative) return name;
    }
    return names.get(names.size() - 1);   // rounding: allocations sum to 1 within 1e-9
  }

  /** Traffic allocations must be non-negative and sum to 1. */
  public static boolean validAllocation(JsonObject allocation) {
    if (allocation == null || allocation.isEmpty()) return false;
    double sum = 0;
    for (String k : allocation.fieldNames()) {
      if (!(allocation.getValue(k) instanceof Number n) || n.doubleValue() < 0) return false;
      sum += n.doubleValue();
    }
    return Math.abs(sum - 1) < 1e-9;
  }

  static double unit(String s) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 7; i++) v = (v << 8) | (h[i] & 0xff);   // 56 bits: exact in a double
      return v / (double) (1L << 56);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
