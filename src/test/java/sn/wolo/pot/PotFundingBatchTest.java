package sn.wolo.pot;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;
import sn.wolo.testing.Await;
import sn.wolo.testing.Eventually;
import sn.wolo.testing.TestApp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 18: the pot-funding consumer credits a batch's donations together (the pots locked once, the
 * totals computed in order in memory, one UPDATE for every pot, one INSERT for every event). One
 * batch holds every case, interleaved across pots; the outcome must be what one donation at a time
 * gives: each {@code pot.credited} carries the total just after its own donation, an open pot
 * crossing its target is funded once, an expired pot credited late is closed, a pot whose gift was
 * converted asks for refunds instead, and a refund between credits is applied in its place.
 */
class PotFundingBatchTest {

  private static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of(), java.time.Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void oneBatchOfInterleavedCreditsEndsAsOneDonationAtATimeWould() {
    UUID crossing = pot("open", 5_000, false);
    UUID expired = pot("expired", 1_000_000, false);
    UUID converted = pot("closed", 1_000, true);
    UUID refunded = pot("open", 1_000_000, false);

    List<DomainEvent> events = new ArrayList<>();
    events.add(succeeded(crossing, 2_000));
    events.add(succeeded(expired, 700));
    events.add(succeeded(crossing, 2_000));
    events.add(succeeded(converted, 900));
    events.add(succeeded(refunded, 1_000));
    events.add(succeeded(crossing, 2_000));          // crosses 5,000: funded
    events.add(refund(refunded, 1_000));
    events.add(succeeded(crossing, 500));            // already funded: stays funded, no second pot.funded
    events.add(succeeded(refunded, 3_000));
    Await.result(app.sql().withTransaction(tx -> Outbox.appendAll(tx, events)));   // one batch for the consumer

    Eventually.until("every credit applied", () -> scalar("SELECT count(*) FROM platform.undelivered_events WHERE consumer = 'pot.funding'") == 0
        && raised(crossing) == 6_500 && raised(refunded) == 3_000);

    assertEquals("funded", status(crossing));
    assertEquals(4, scalar("SELECT succeeded_donations FROM pots.pots WHERE id = '" + crossing + "'"));
    assertEquals(List.of(2_000L, 4_000L, 6_000L, 6_500L), totalsAnnounced(crossing), "each credit carries the total just after it");
    assertEquals(1, scalar("SELECT count(*) FROM platform.outbox WHERE event_type = 'pot.funded' AND aggregate_id = '" + crossing + "'"));
    assertEquals(6_000, scalar("SELECT (payload->>'raised_cfa')::bigint FROM platform.outbox WHERE event_type = 'pot.funded' AND aggregate_id = '"
        + crossing + "'"), "funded at the donation that crossed the target");

    assertEquals("closed", status(expired));
    assertEquals(700, raised(expired));

    assertEquals(0, raised(converted), "a converted gift takes no more money");
    assertEquals(1, scalar("SELECT count(*) FROM platform.outbox WHERE event_type = 'pot.late_donation_refund_requested' AND aggregate_id = '"
        + converted + "'"));
    assertEquals(List.of(), totalsAnnounced(converted));

    assertEquals(List.of(1_000L, 3_000L), totalsAnnounced(refunded), "the refund was applied between the two credits");
    assertEquals(1, scalar("SELECT succeeded_donations FROM pots.pots WHERE id = '" + refunded + "'"));
  }

  private static DomainEvent succeeded(UUID pot, long amount) {
    return DomainEvent.of("donation.succeeded", "donation", UUID.randomUUID(), new JsonObject().put("pot_id", pot.toString())
        .put("donation_id", UUID.randomUUID().toString()).put("amount_cfa", amount).put("is_anonymous", true), Instant.now());
  }

  private static DomainEvent refund(UUID pot, long amount) {
    return DomainEvent.of("donation.refunded", "donation", UUID.randomUUID(), new JsonObject().put("pot_id", pot.toString())
        .put("donation_id", UUID.randomUUID().toString()).put("amount_cfa", amount), Instant.now());
  }

  private static UUID pot(String status, int target, boolean giftConverted) {
    UUID owner = UUID.randomUUID();
    UUID pot = UUID.randomUUID();
    Await.result(app.sql().preparedQuery("INSERT INTO identity.users (id, email) VALUES ($1, $2)").execute(Tuple.of(owner, owner + "@wolo.sn")));
    Await.result(app.sql().preparedQuery("""
        INSERT INTO pots.pots (id, owner_user_id, title, target_amount_cfa, birthday_date, scheduled_open_at, closes_at, status, gift_converted_at,
                               gift_price_cfa, gift_surplus_cfa)
        VALUES ($1, $2, 'batch', $3, '2031-01-01', '2030-12-02T00:00:00Z', '2031-01-01T00:00:00Z', $4, $5,
                CASE WHEN $5::timestamptz IS NULL THEN NULL ELSE 1000 END, CASE WHEN $5::timestamptz IS NULL THEN NULL ELSE 0 END)""")
        .execute(Tuple.tuple().addUUID(pot).addUUID(owner).addInteger(target).addString(status)
            .addValue(giftConverted ? java.time.OffsetDateTime.now() : null)));
    return pot;
  }

  private static List<Long> totalsAnnounced(UUID pot) {
    List<Long> totals = new ArrayList<>();
    Await.result(app.sql().query("SELECT (payload->>'raised_after_cfa')::bigint FROM platform.outbox WHERE event_type = 'pot.credited'"
        + " AND aggregate_id = '" + pot + "' ORDER BY id").execute()).forEach(r -> totals.add(r.getLong(0)));
    return totals;
  }

  private static long raised(UUID pot) {
    return scalar("SELECT raised_cfa FROM pots.pots WHERE id = '" + pot + "'");
  }

  private static String status(UUID pot) {
    return Await.result(app.sql().query("SELECT status FROM pots.pots WHERE id = '" + pot + "'").execute()).iterator().next().getString(0);
  }

  private static long scalar(String query) {
    return Await.result(app.sql().query(query).execute()).iterator().next().getLong(0);
  }
}
