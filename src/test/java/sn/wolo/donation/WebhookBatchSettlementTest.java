package sn.wolo.donation;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.Eventually;
import sn.wolo.testing.TestApp;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: a burst's webhook events are settled together, a batch at a time, with the rules of one
 * event at a time — checked here on one batch holding every case at once: duplicates, a late failure
 * after a success, a failure then a payment, an amount mismatch, an unknown reference, an unreadable
 * event and an event that changes nothing. Each donation moves forward once, each success is one
 * outbox event, and the pot is credited exactly the paid amounts.
 */
class WebhookBatchSettlementTest {

  private static TestApp app;

  @BeforeAll
  static void start() {
    // The sweep runs rarely here, so the rows seeded below are claimed by one sweep, in one batch.
    app = TestApp.start(Map.of("donation.webhook-sweep-ms", "1000"), java.time.Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void oneBatchHoldingEveryCaseEndsAsOneEventAtATimeWould() {
    UUID pot = seedPot();
    UUID paidTwice = donation(pot, 1_000, "cos-a");
    UUID failedThenPaid = donation(pot, 2_000, "cos-b");
    UUID wrongAmount = donation(pot, 3_000, "cos-c");
    UUID neverPaid = donation(pot, 4_000, "cos-d");
    UUID lateFailure = donation(pot, 5_000, "cos-e");

    List<Object[]> events = new ArrayList<>();
    events.add(completed("E1", "cos-a", paidTwice, 1_000));
    events.add(completed("E2", "cos-a", paidTwice, 1_000));                       // Wave sends it again with another id
    events.add(failed("E3", "cos-b", failedThenPaid, 2_000));
    events.add(completed("E4", "cos-b", failedThenPaid, 2_000));                 // the money did arrive after all
    events.add(completed("E5", "cos-c", wrongAmount, 30));                        // not the donation's amount
    events.add(completed("E6", "cos-x", UUID.randomUUID(), 1_000));              // not one of ours
    events.add(new Object[] {"E7", "checkout.session.completed", new JsonObject().put("id", "E7").put("data", "oops")});
    events.add(new Object[] {"E8", "checkout.session.completed", new JsonObject().put("id", "E8").put("type", "checkout.session.completed")
        .put("data", session("cos-d", neverPaid, 4_000).put("payment_status", "processing"))});   // completed without payment
    events.add(completed("E9", "cos-e", lateFailure, 5_000));
    events.add(failed("E10", "cos-e", lateFailure, 5_000));                      // late: never undoes the success
    seedEvents(events);

    Eventually.until("every event processed", () -> count(
        "SELECT count(*) FROM donations.wave_webhook_events WHERE processed_at IS NULL AND wave_event_id LIKE 'E%'") == 0);

    assertEquals("succeeded", status(paidTwice));
    assertEquals("succeeded", status(failedThenPaid));
    assertNotNull(row("SELECT failed_at FROM donations.donations WHERE id = $1", failedThenPaid).getValue(0), "it did fail first");
    assertEquals("pending", status(wrongAmount));
    assertEquals("pending", status(neverPaid));
    assertEquals("succeeded", status(lateFailure));

    assertEquals(1, outbox("donation.succeeded", paidTwice));
    assertEquals(1, outbox("donation.failed", failedThenPaid));
    assertEquals(1, outbox("donation.succeeded", failedThenPaid));
    assertEquals(0, outbox("donation.succeeded", wrongAmount));
    assertEquals(1, outbox("donation.succeeded", lateFailure));
    assertEquals(0, outbox("donation.failed", lateFailure));

    Map<String, Row> byEvent = new HashMap<>();
    Await.result(app.sql().query("SELECT wave_event_id, donation_id, processing_error, quarantined FROM donations.wave_webhook_events")
        .execute()).forEach(r -> byEvent.put(r.getString(0), r));
    assertTrue(byEvent.get("E5").getBoolean("quarantined"));
    assertTrue(byEvent.get("E5").getString("processing_error").startsWith("amount mismatch"), byEvent.get("E5").getString("processing_error"));
    assertEquals("unknown client_reference", byEvent.get("E6").getString("processing_error"));
    assertTrue(byEvent.get("E7").getBoolean("quarantined"));
    assertNull(byEvent.get("E8").getString("processing_error"));
    assertEquals(paidTwice, byEvent.get("E2").getUUID("donation_id"));

    // The pot hears of each success once: 1,000 + 2,000 + 5,000.
    Eventually.until("the pot credited", () -> count("SELECT raised_cfa FROM pots.pots WHERE id = $1", pot) == 8_000);
  }

  /**
   * A statement of the batch fails (here a trigger refuses one donation's update): the batch's
   * transaction is rolled back and its events are settled one at a time, each in its own transaction,
   * so the others go through and only the bad one waits for its retry, its try counted, with the reason.
   */
  @Test
  void aBatchThatFailsIsSettledOneByOneAndOnlyTheBadEventWaits() {
    UUID pot = seedPot();
    UUID good1 = donation(pot, 1_000, "cos-p1");
    UUID poison = donation(pot, 2_000, "cos-p2");
    UUID good2 = donation(pot, 3_000, "cos-p3");
    Await.result(app.sql().query("""
        CREATE FUNCTION donations.test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'injected: this donation cannot be written'; END $$""").execute());
    Await.result(app.sql().query("CREATE TRIGGER test_refuse BEFORE UPDATE ON donations.donations FOR EACH ROW WHEN (NEW.id = '"
        + poison + "') EXECUTE FUNCTION donations.test_refuse()").execute());
    try {
      seedEvents(List.of(completed("P1", "cos-p1", good1, 1_000), completed("P2", "cos-p2", poison, 2_000),
          completed("P3", "cos-p3", good2, 3_000)));
      Eventually.until("the good events processed", () -> count("""
          SELECT count(*) FROM donations.wave_webhook_events WHERE processed_at IS NOT NULL AND wave_event_id IN ('P1', 'P3')""") == 2);
      assertEquals("succeeded", status(good1));
      assertEquals("succeeded", status(good2));
      assertEquals("pending", status(poison));
      Eventually.until("the bad event's try recorded", () -> count("""
          SELECT retry_count FROM donations.wave_webhook_events WHERE wave_event_id = 'P2' AND processed_at IS NULL""") >= 1);
      String reason = row("SELECT processing_error FROM donations.wave_webhook_events WHERE wave_event_id = 'P2'").getString(0);
      assertTrue(reason.contains("injected"), reason);
      assertEquals(0, outbox("donation.succeeded", poison));
    } finally {
      Await.result(app.sql().query("DROP TRIGGER test_refuse ON donations.donations").execute());
    }
  }

  private static Object[] completed(String id, String cos, UUID donation, int amount) {
    return new Object[] {id, "checkout.session.completed", new JsonObject().put("id", id).put("type", "checkout.session.completed")
        .put("data", session(cos, donation, amount))};
  }

  private static Object[] failed(String id, String cos, UUID donation, int amount) {
    return new Object[] {id, "checkout.session.payment_failed", new JsonObject().put("id", id).put("type", "checkout.session.payment_failed")
        .put("data", session(cos, donation, amount).put("payment_status", "failed"))};
  }

  private static JsonObject session(String cos, UUID donation, int amount) {
    return new JsonObject().put("id", cos).put("amount", Integer.toString(amount)).put("currency", "XOF")
        .put("client_reference", donation.toString()).put("checkout_status", "complete").put("payment_status", "succeeded")
        .put("transaction_id", "T-" + cos);
  }

  /** Stored as the intake stores them, one statement, in this order (created_at one millisecond apart). */
  private static void seedEvents(List<Object[]> events) {
    String[] ids = new String[events.size()];
    String[] types = new String[events.size()];
    JsonObject[] payloads = new JsonObject[events.size()];
    OffsetDateTime[] at = new OffsetDateTime[events.size()];
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(5);
    for (int i = 0; i < events.size(); i++) {
      ids[i] = (String) events.get(i)[0];
      types[i] = (String) events.get(i)[1];
      payloads[i] = (JsonObject) events.get(i)[2];
      at[i] = start.plusNanos(i * 1_000_000L);
    }
    Await.result(app.sql().preparedQuery("""
        INSERT INTO donations.wave_webhook_events (wave_event_id, event_type, raw_payload, created_at)
        SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::jsonb[], $4::timestamptz[])""").execute(Tuple.of(ids, types, payloads, at)));
  }

  private static UUID seedPot() {
    UUID owner = UUID.randomUUID();
    UUID pot = UUID.randomUUID();
    Await.result(app.sql().preparedQuery("INSERT INTO identity.users (id, email) VALUES ($1, $2)").execute(Tuple.of(owner, owner + "@wolo.sn")));
    Await.result(app.sql().preparedQuery("""
        INSERT INTO pots.pots (id, owner_user_id, title, target_amount_cfa, birthday_date, scheduled_open_at, closes_at, status)
        VALUES ($1, $2, 'batch', 1000000, '2031-01-01', '2030-12-02T00:00:00Z', '2031-01-01T00:00:00Z', 'open')""").execute(Tuple.of(pot, owner)));
    return pot;
  }

  private static UUID donation(UUID pot, int amount, String cos) {
    return Await.result(app.sql().preparedQuery("""
        INSERT INTO donations.donations (pot_id, amount_cfa, status, wave_checkout_session_id) VALUES ($1, $2, 'pending', $3) RETURNING id""")
        .execute(Tuple.of(pot, amount, cos))).iterator().next().getUUID(0);
  }

  private static String status(UUID donation) {
    return row("SELECT status FROM donations.donations WHERE id = $1", donation).getString(0);
  }

  private static long outbox(String type, UUID donation) {
    return count("SELECT count(*) FROM platform.outbox WHERE event_type = $1 AND aggregate_id = $2", type, donation.toString());
  }

  private static Row row(String sql, Object... params) {
    return Await.result(app.sql().preparedQuery(sql).execute(Tuple.from(params))).iterator().next();
  }

  private static long count(String sql, Object... params) {
    var rows = Await.result(app.sql().preparedQuery(sql).execute(Tuple.from(params)));
    return rows.size() == 0 || rows.iterator().next().getValue(0) == null ? -1 : rows.iterator().next().getLong(0);
  }
}
