package sn.wolo.analytics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.bus.Bus;
import sn.wolo.testing.Await;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Daily metrics and funnels from a seeded day are exact; partitions follow the clock. */
class AnalyticsMetricsTest {

  private static final UUID U1 = UUID.randomUUID();
  private static final UUID U2 = UUID.randomUUID();
  private static final UUID U3 = UUID.randomUUID();
  private static final UUID U4 = UUID.randomUUID();
  private static final UUID U5 = UUID.randomUUID();

  @Test
  void metricsAndFunnelsOfASeededDayAreExactAndIdempotent() {
    try (TestApp app = TestApp.start()) {
      var sql = app.sql();
      Await.result(sql.query("SELECT analytics.ensure_event_partitions('2026-06-01', 1)").execute());
      String insert = """
          INSERT INTO analytics.analytics_events (event_name, event_category, user_id, anonymous_id, properties, "timestamp", region)
          VALUES ($1, $2, $3, $4, $5, $6, $7)""";
      Object[][] events = {
          {"user_signed_up", "identity", U1, null, "{}", "2026-06-10T09:00:00Z", "Dakar"},
          {"user_signed_up", "identity", U2, null, "{}", "2026-06-10T09:00:00Z", "Dakar"},
          {"user_signed_up", "identity", U3, null, "{}", "2026-06-10T09:00:00Z", "Thiès"},
          {"pot_created", "pot", U1, null, "{}", "2026-06-10T10:00:00Z", null},
          {"pot_created", "pot", U2, null, "{}", "2026-06-10T10:00:00Z", null},
          {"pot_opened", "pot", U1, null, "{}", "2026-06-10T11:00:00Z", null},
          {"donation_succeeded", "donation", U4, null, "{\"amount_cfa\":1000}", "2026-06-10T12:00:00Z", "Dakar"},
          {"donation_succeeded", "donation", U5, null, "{\"amount_cfa\":2000}", "2026-06-10T12:00:00Z", "Dakar"},
          {"donation_succeeded", "donation", null, "a1", "{\"amount_cfa\":6000}", "2026-06-10T12:00:00Z", "Thiès"},
          {"donation_refunded", "donation", U4, null, "{\"amount_cfa\":1000}", "2026-06-10T13:00:00Z", null},
          {"app_opened", "app", null, "a2", "{}", "2026-06-10T14:00:00Z", null},
          {"donation_succeeded", "donation", U5, null, "{\"amount_cfa\":4500}", "2026-06-09T12:00:00Z", null},   // the day before
          {"donation_succeeded", "donation", U5, null, "{\"amount_cfa\":99999}", "2026-06-11T00:00:00Z", null},  // the day after
      };
      for (Object[] e : events) {
        Await.result(sql.preparedQuery(insert).execute(Tuple.from(new Object[] {e[0], e[1], e[2], e[3], new JsonObject((String) e[4]),
            OffsetDateTime.parse((String) e[5]), e[6]})));
      }
      JsonObject range = new JsonObject().put("from", "2026-06-09").put("to", "2026-06-10");
      assertEquals(2, Await.result(Bus.call(app.vertx(), AnalyticsVerticle.address("backfill"), range)).getInteger("days"));
      Await.result(Bus.call(app.vertx(), AnalyticsVerticle.address("backfill"), range));   // idempotent

      JsonArray rows = Await.result(Bus.call(app.vertx(), AnalyticsVerticle.address("metrics"),
          new JsonObject().put("from", "2026-06-10").put("to", "2026-06-10"))).getJsonArray("metrics");
      Map<String, JsonObject> overall = new java.util.HashMap<>();
      rows.forEach(o -> {
        JsonObject m = (JsonObject) o;
        if (m.getValue("dimensions") == null) overall.put(m.getString("metric_type"), m);
      });
      assertEquals(7.0, overall.get("daily_active_users").getDouble("value"));
      assertEquals(3.0, overall.get("new_users").getDouble("value"));
      assertEquals(2.0, overall.get("pots_created").getDouble("value"));
      assertEquals(1.0, overall.get("pots_opened").getDouble("value"));
      assertEquals(3.0, overall.get("donations_count").getDouble("value"));
      assertEquals(9000.0, overall.get("donations_amount_cfa").getDouble("value"));
      assertEquals(3000.0, overall.get("average_donation_cfa").getDouble("value"));
      assertEquals(0.3333, overall.get("refund_rate").getDouble("value"));
      assertEquals(4500.0, overall.get("donations_amount_cfa").getDouble("previous_value"));
      assertEquals(1.0, overall.get("donations_amount_cfa").getDouble("change"));
      long dakar = rows.stream().map(o -> (JsonObject) o).filter(m -> "donations_amount_cfa".equals(m.getString("metric_type"))
          && m.getValue("dimensions") != null && "Dakar".equals(m.getJsonObject("dimensions").getString("region")))
          .mapToLong(m -> m.getDouble("value").longValue()).sum();
      assertEquals(3000, dakar);
      long metricRows = Await.result(sql.query("SELECT count(*) FROM analytics.business_metrics WHERE metric_date = '2026-06-10' AND dimensions IS NULL")
          .execute()).iterator().next().getLong(0);
      assertEquals(9, metricRows, "one row per metric, not duplicated by the re-run");

      JsonArray funnel = Await.result(Bus.call(app.vertx(), AnalyticsVerticle.address("funnels"),
          new JsonObject().put("name", "pot_creation").put("from", "2026-06-10").put("to", "2026-06-10"))).getJsonArray("steps");
      assertEquals(3, funnel.size());
      assertEquals(3, funnel.getJsonObject(1).getInteger("entered"));
      assertEquals(2, funnel.getJsonObject(1).getInteger("completed"));
      assertEquals(2, funnel.getJsonObject(2).getInteger("entered"));
      assertEquals(1, funnel.getJsonObject(2).getInteger("completed"));
    }
  }

  @Test
  void partitionsExistAheadAndOnesPastTheRetentionAreDropped() {
    MutableClock clock = new MutableClock(Instant.parse("2029-03-15T10:00:00Z"));
    try (TestApp app = TestApp.start(Map.of(), clock)) {
      JsonObject r = Await.result(Bus.call(app.vertx(), AnalyticsVerticle.address("partitions"), new JsonObject()));
      List<String> all = r.getJsonArray("partitions").stream().map(String::valueOf).toList();
      assertTrue(all.contains("analytics_events_202903"), all.toString());
      assertTrue(all.contains("analytics_events_202904"), all.toString());
      assertFalse(r.getJsonArray("dropped").isEmpty(), "the migration's 2026 partitions are past 24 months");
      assertTrue(all.stream().noneMatch(p -> p.compareTo("analytics_events_202703") < 0), all.toString());
      // Events inside the kept window still land.
      Await.result(app.sql().query("""
          INSERT INTO analytics.analytics_events (event_name, event_category, "timestamp") VALUES ('app_opened', 'app', '2029-04-02T00:00:00Z')""")
          .execute());
    }
  }
}
