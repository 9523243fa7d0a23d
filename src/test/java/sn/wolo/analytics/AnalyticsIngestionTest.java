package sn.wolo.analytics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.Eventually;
import sn.wolo.testing.KafkaTestBroker;
import sn.wolo.testing.TestApp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event ingestion over real HTTP into real PostgreSQL and a real Kafka broker; A/B over HTTP. */
class AnalyticsIngestionTest {

  private static KafkaTestBroker kafka;
  private static TestApp app;

  @BeforeAll
  static void start() {
    kafka = KafkaTestBroker.start();
    app = TestApp.start(Map.of("kafka.bootstrap", kafka.bootstrap()), java.time.Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    app.close();
    kafka.close();
  }

  private static JsonObject event(String name, String anonymousId) {
    return new JsonObject().put("event_name", name).put("event_category", "pot").put("anonymous_id", anonymousId)
        .put("properties", new JsonObject().put("screen", "home")).put("timestamp", Instant.now().minusSeconds(5).toString())
        .put("platform", "android");
  }

  private static io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> post(JsonArray events, String token) {
    var req = app.client().post("/v1/analytics/events")
        .putHeader("User-Agent", "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36")
        .putHeader("CF-IPCountry", "SN").putHeader("X-Region", "Dakar");
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    return Await.result(req.sendJsonObject(new JsonObject().put("events", events)));
  }

  /**
   * Issue 18: domain events are written by one multi-row INSERT per lane, and only they keep the
   * conflict check. The crash window of a reaction — its write made, its delivery not yet removed —
   * is replayed here: the event is delivered again with no record of it, and still counts once.
   */
  @Test
  void aDomainEventDeliveredAgainAfterItsWriteIsStoredOnce() {
    sn.wolo.platform.events.DomainEvent e = sn.wolo.platform.events.DomainEvent.of("pot.created", "pot", UUID.randomUUID(),
        new JsonObject().put("pot_id", UUID.randomUUID().toString()), Instant.now());
    Await.result(app.sql().withTransaction(tx -> sn.wolo.platform.events.Outbox.append(tx, e)));
    Eventually.until("written once", () -> rows(e.eventId()) == 1 && pendingDeliveries(e.eventId()) == 0);
    Await.result(app.sql().preparedQuery("""
        WITH forgotten AS (DELETE FROM platform.processed_events WHERE consumer = 'analytics.domain-events' AND event_id = $1)
        INSERT INTO platform.event_deliveries (consumer, event_id, outbox_id)
        SELECT 'analytics.domain-events', event_id, id FROM platform.outbox WHERE event_id = $1""").execute(Tuple.of(e.eventId())));
    Eventually.until("delivered again", () -> pendingDeliveries(e.eventId()) == 0);
    assertEquals(1, rows(e.eventId()), "the replay added no row");
  }

  private static long rows(UUID eventId) {
    return Await.result(app.sql().preparedQuery("SELECT count(*) FROM analytics.analytics_events WHERE id = $1").execute(Tuple.of(eventId)))
        .iterator().next().getLong(0);
  }

  private static long pendingDeliveries(UUID eventId) {
    return Await.result(app.sql().preparedQuery("SELECT count(*) FROM platform.undelivered_events WHERE consumer = 'analytics.domain-events'"
        + " AND event_id = $1").execute(Tuple.of(eventId))).iterator().next().getLong(0);
  }

  @Test
  void aBatchKeepsTheValidEventsAndReportsTheOthersByIndex() {
    String anon = "anon-" + UUID.randomUUID();
    JsonArray batch = new JsonArray()
        .add(event("pot_viewed", anon))
        .add(event("Bad Name!", anon))
        .add(event("pot_shared", anon).put("timestamp", Instant.now().plusSeconds(3600).toString()))
        .add(event("pot_shared", anon))
        .add("not an object")
        .add(event("pot_viewed", anon).put("event_category", "unknown"));
    var r = post(batch, null);
    assertEquals(207, r.statusCode(), r.bodyAsString());
    assertEquals(2, r.bodyAsJsonObject().getInteger("accepted"));
    JsonArray rejected = r.bodyAsJsonObject().getJsonArray("rejected");
    assertEquals(List.of(1, 2, 4, 5), rejected.stream().map(o -> ((JsonObject) o).getInteger("index")).toList());
    Row row = Await.result(app.sql().preparedQuery("""
        SELECT count(*) AS n, max(device_type) AS device, max(os) AS os, max(country) AS country, max(region) AS region,
               max(host(ip_address)) AS ip FROM analytics.analytics_events WHERE anonymous_id = $1""").execute(Tuple.of(anon)))
        .iterator().next();
    assertEquals(2, row.getLong("n"), "acknowledged only after the write: the rows are there");
    assertEquals("mobile", row.getString("device"));
    assertEquals("Android", row.getString("os"));
    assertEquals("SN", row.getString("country"));
    assertEquals("Dakar", row.getString("region"));
    assertEquals("127.0.0.1", row.getString("ip"));
    // The batch's length is the contract's (its events are the domain's to check, one by one): 501 is refused as a whole.
    var tooMany = post(new JsonArray().addAll(new JsonArray(java.util.Collections.nCopies(501, event("x_y", anon)))), null);
    assertEquals(400, tooMany.statusCode());
    assertEquals("invalid_events", tooMany.bodyAsJsonObject().getJsonObject("error").getString("code"), tooMany.bodyAsString());
    assertEquals(202, post(new JsonArray().addAll(new JsonArray(java.util.Collections.nCopies(500, event("x_y", anon)))), null).statusCode());
    var notAnArray = Await.result(app.client().post("/v1/analytics/events").sendJsonObject(new JsonObject().put("events", 5)));
    assertEquals(400, notAnArray.statusCode());
    assertEquals("invalid_events", notAnArray.bodyAsJsonObject().getJsonObject("error").getString("code"), notAnArray.bodyAsString());
  }

  @Test
  void theUserIdComesFromTheTokenNeverFromTheBody() {
    JsonObject user = app.accounts().otpLogin("+221760001111");
    String victim = UUID.randomUUID().toString();
    String anon = "spoof-" + UUID.randomUUID();
    assertEquals(202, post(new JsonArray().add(event("pot_viewed", anon).put("user_id", victim)), user.getString("access_token")).statusCode());
    assertEquals(202, post(new JsonArray().add(event("pot_viewed", anon).put("user_id", victim)), null).statusCode());
    var rows = Await.result(app.sql().preparedQuery("SELECT user_id FROM analytics.analytics_events WHERE anonymous_id = $1 ORDER BY created_at")
        .execute(Tuple.of(anon)));
    List<UUID> users = new ArrayList<>();
    rows.forEach(r -> users.add(r.getUUID("user_id")));
    assertEquals(2, users.size());
    assertTrue(users.contains(UUID.fromString(user.getString("user_id"))));
    assertTrue(users.contains(null));
    assertTrue(users.stream().noneMatch(u -> victim.equals(String.valueOf(u))));
  }

  @Test
  void eventsReachKafkaKeyedByTheirSubject() {
    String anon = "kafka-" + UUID.randomUUID();
    assertEquals(202, post(new JsonArray().add(event("pot_viewed", anon)).add(event("pot_shared", anon)), null).statusCode());
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrap());
    p.put("group.id", "analytics-test-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    List<ConsumerRecord<String, String>> mine = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("wolo.analytics.events"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (mine.size() < 2 && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (anon.equals(r.key())) mine.add(r);
        });
      }
    }
    assertEquals(2, mine.size());
    assertEquals("pot_viewed", new JsonObject(mine.get(0).value()).getString("event_name"));
  }

  @Test
  void theDomainsOwnEventsAreRecorded() {
    JsonObject user = app.accounts().otpLogin("+221760002222");
    Eventually.until("relayed", () -> Await.result(app.sql().preparedQuery(
            "SELECT count(*) FROM platform.outbox WHERE event_type = 'identity.user_signed_up' AND aggregate_id = $1 AND published_at IS NOT NULL")
        .execute(Tuple.of(user.getString("user_id")))).iterator().next().getLong(0) == 1);
    Eventually.until("user_signed_up recorded", () -> Await.result(app.sql().preparedQuery(
            "SELECT count(*) FROM analytics.analytics_events WHERE event_name = 'user_signed_up' AND user_id = $1")
        .execute(Tuple.of(UUID.fromString(user.getString("user_id"))))).iterator().next().getLong(0) == 1);
  }

  @Test
  void abAssignmentsAreStickyOverHttpAndExposuresRecorded() {
    String admin = adminToken();
    var created = Await.result(app.client().post("/v1/admin/ab-tests").putHeader("Authorization", "Bearer " + admin)
        .sendJsonObject(new JsonObject().put("test_name", "cta_color").put("primary_metric", "donation_started")
            .put("variants", new JsonObject().put("control", new JsonObject()).put("orange", new JsonObject()))
            .put("traffic_allocation", new JsonObject().put("control", 0.5).put("orange", 0.5))));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    var bad = Await.result(app.client().post("/v1/admin/ab-tests").putHeader("Authorization", "Bearer " + admin)
        .sendJsonObject(new JsonObject().put("test_name", "bad_split").put("primary_metric", "x_y")
            .put("variants", new JsonObject().put("a", 1).put("b", 2)).put("traffic_allocation", new JsonObject().put("a", 0.6).put("b", 0.6))));
    assertEquals(400, bad.statusCode());
    assertEquals(200, Await.result(app.client().post("/v1/admin/ab-tests/cta_color/start").putHeader("Authorization", "Bearer " + admin)
        .send()).statusCode());
    // The start is applied to the JVM-wide copy before the admin's 200: every edge instance knows it at once.
    assertEquals(200, Await.result(app.client().get("/v1/ab-tests/cta_color/assignment?anonymous_id=d1").send()).statusCode());
    String first = Await.result(app.client().get("/v1/ab-tests/cta_color/assignment?anonymous_id=device-42").send())
        .bodyAsJsonObject().getString("variant");
    for (int i = 0; i < 5; i++) {
      assertEquals(first, Await.result(app.client().get("/v1/ab-tests/cta_color/assignment?anonymous_id=device-42").send())
          .bodyAsJsonObject().getString("variant"));
    }
    Eventually.until("exposure recorded", () -> Await.result(app.sql().query(
        "SELECT count(*) FROM analytics.ab_test_assignments WHERE anonymous_id = 'device-42'").execute()).iterator().next().getLong(0) == 1);
    var results = Await.result(app.client().get("/v1/admin/ab-tests/cta_color/results").putHeader("Authorization", "Bearer " + admin).send());
    assertEquals(200, results.statusCode());
    assertNull(results.bodyAsJsonObject().getString("winner"), "two exposures prove nothing");
  }

  private static String adminToken() {
    return app.accounts().admin(app.sql(), "+221760003333");
  }

}
