package sn.wolo.analytics;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AbStatisticsTest {

  @Test
  void zTestMatchesAHandComputedExample() {
    // control 200/1000 = 20 %, variant 250/1000 = 25 %; pooled p = 0.225
    // se = sqrt(0.225 × 0.775 × (1/1000 + 1/1000)) = 0.0186748; z = 0.05 / 0.0186748 = 2.67741
    // confidence = 2Φ(2.67741) − 1 = 0.99258
    ZTest.Result r = ZTest.compare(200, 1000, 250, 1000);
    assertEquals(2.67741, r.z(), 1e-4);
    assertEquals(0.99258, r.confidence(), 1e-4);
    assertEquals(0.0, ZTest.compare(100, 1000, 100, 1000).z(), 1e-12);
    assertEquals(0.975, ZTest.normalCdf(1.959964), 1e-6);
  }

  @Test
  void assignmentIsStickyAndFollowsTheTrafficSplitOver100000Ids() {
    JsonObject allocation = new JsonObject().put("control", 0.5).put("variant_a", 0.3).put("variant_b", 0.2);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      String subject = "a:device-" + i;
      String v = Assignments.variant("checkout_button", allocation, subject);
      assertEquals(v, Assignments.variant("checkout_button", allocation.copy(), subject), "sticky");
      counts.merge(v, 1, Integer::sum);
    }
    // Binomial sd over 100,000: ≤ 158; allow 4 sd.
    assertEquals(50_000, counts.get("control"), 640);
    assertEquals(30_000, counts.get("variant_a"), 600);
    assertEquals(20_000, counts.get("variant_b"), 520);
    // Another test name reshuffles subjects independently.
    int same = 0;
    for (int i = 0; i < 1000; i++) {
      if (Assignments.variant("t1", allocation, "s" + i).equals(Assignments.variant("t2", allocation, "s" + i))) same++;
    }
    assertTrue(same < 500, "independent across tests: " + same);
  }

  @Test
  void aWinnerIsDeclaredOnlyAboveTheConfiguredConfidence() {
    JsonObject counts = new JsonObject()
        .put("control", new JsonObject().put("exposed", 1000L).put("converted", 200L))
        .put("variant_a", new JsonObject().put("exposed", 1000L).put("converted", 250L));
    JsonObject strict = AbTests.analyse(Set.of("control", "variant_a"), counts, 0.995);
    assertNull(strict.getString("winner"), "0.9926 < 0.995");
    JsonObject usual = AbTests.analyse(Set.of("control", "variant_a"), counts, 0.95);
    assertEquals("variant_a", usual.getString("winner"));
    JsonObject a = usual.getJsonArray("variants").getJsonObject(1);
    assertEquals(0.05, a.getDouble("difference_vs_control"), 1e-9);
    assertEquals(0.25, a.getDouble("conversion_rate"), 1e-9);
    assertTrue(Assignments.validAllocation(new JsonObject().put("a", 0.5).put("b", 0.5)));
    assertTrue(!Assignments.validAllocation(new JsonObject().put("a", 0.5).put("b", 0.4)));
  }
}
