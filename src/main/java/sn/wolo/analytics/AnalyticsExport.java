package sn.wolo.analytics;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/** A user's analytics for their GDPR export: the newest 10,000 events about them (most have far fewer) and their A/B variants. */
record AnalyticsExport(Pool pool) {

  Future<JsonObject> of(UUID user) {
    Tuple id = Tuple.of(user);
    return pool.preparedQuery("""
            SELECT event_name, event_category, properties, platform, device_type, os, browser, country, region, city, host(ip_address) AS ip,
                   user_agent, "timestamp" FROM analytics.analytics_events WHERE user_id = $1 ORDER BY "timestamp" DESC LIMIT 10000""")
        .execute(id).compose(events -> pool.preparedQuery("""
            SELECT t.test_name, a.variant, a.assigned_at FROM analytics.ab_test_assignments a JOIN analytics.ab_tests t ON t.id = a.test_id
            WHERE a.user_id = $1""").execute(id).map(assignments -> {
          JsonArray list = new JsonArray();
          events.forEach(r -> list.add(new JsonObject().put("event_name", r.getString("event_name")).put("category", r.getString("event_category"))
              .put("properties", r.getValue("properties")).put("platform", r.getString("platform")).put("device_type", r.getString("device_type"))
              .put("os", r.getString("os")).put("browser", r.getString("browser")).put("country", r.getString("country"))
              .put("region", r.getString("region")).put("city", r.getString("city")).put("ip", r.getString("ip"))
              .put("user_agent", r.getString("user_agent")).put("timestamp", r.getOffsetDateTime("timestamp").toInstant().toString())));
          JsonArray variants = new JsonArray();
          assignments.forEach(r -> variants.add(new JsonObject().put("test", r.getString("test_name")).put("variant", r.getString("variant"))
              .put("assigned_at", r.getOffsetDateTime("assigned_at").toInstant().toString())));
          return new JsonObject().put("events", list).put("ab_tests", variants);
        }));
  }
}
