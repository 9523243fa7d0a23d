package sn.wolo.analytics;

import io.vertx.core.json.JsonObject;

import sn.wolo.platform.StableHash;

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
    double u = StableHash.unit(testName + ":" + subject);
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
}
