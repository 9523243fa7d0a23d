package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.scheduling.Batches;

import java.time.Clock;
import java.time.OffsetDateTime;

/**
 * The donation domain's retention rules (spec §6), run daily by one instance, in batches: Wave webhook
 * payloads lose the payer's details after {@code webhookPayloadDays} (90); after
 * {@code financialYears} (7) webhooks, refunds and donations in a final state are deleted when the
 * configured action is {@code delete}, or kept ({@code keep}, e.g. while an archive is exported).
 */
final class DonationRetention {

  private static final int BATCH = 5_000;
  private static final String STRIP = "UPDATE donations.wave_webhook_events SET raw_payload = " + WebhookPayloads.STRIPPED
      + ", payload_stripped_at = $2 WHERE ctid IN (SELECT ctid FROM donations.wave_webhook_events WHERE payload_stripped_at IS NULL"
      + " AND processed_at IS NOT NULL AND created_at < $1 LIMIT " + BATCH + ")";
  private static final String OLD_WEBHOOKS = """
      DELETE FROM donations.wave_webhook_events WHERE ctid IN (SELECT ctid FROM donations.wave_webhook_events
        WHERE processed_at IS NOT NULL AND created_at < $1 LIMIT %d)""".formatted(BATCH);
  private static final String OLD_REFUNDS = """
      DELETE FROM donations.refunds WHERE ctid IN (SELECT r.ctid FROM donations.refunds r JOIN donations.donations d ON d.id = r.donation_id
        WHERE d.created_at < $1 AND r.wave_refund_status IN ('succeeded', 'failed') LIMIT %d)""".formatted(BATCH);
  private static final String OLD_DONATIONS = """
      DELETE FROM donations.donations WHERE ctid IN (SELECT d.ctid FROM donations.donations d WHERE d.created_at < $1
        AND d.status IN ('succeeded', 'failed', 'refunded')
        AND NOT EXISTS (SELECT 1 FROM donations.refunds r WHERE r.donation_id = d.id)
        AND NOT EXISTS (SELECT 1 FROM donations.wave_webhook_events w WHERE w.donation_id = d.id) LIMIT %d)""".formatted(BATCH);

  private final Pool pool;
  private final Clock clock;
  private final int webhookPayloadDays;
  private final int financialYears;
  private final boolean deleteFinancial;

  DonationRetention(Pool pool, Clock clock, int webhookPayloadDays, int financialYears, String financialAction) {
    if (!financialAction.equals("delete") && !financialAction.equals("keep")) {
      throw new IllegalArgumentException("WOLO_RETENTION_FINANCIAL_ACTION is delete or keep, got " + financialAction);
    }
    this.pool = pool;
    this.clock = clock;
    this.webhookPayloadDays = webhookPayloadDays;
    this.financialYears = financialYears;
    this.deleteFinancial = financialAction.equals("delete");
  }

  Future<JsonObject> run() {
    OffsetDateTime now = Times.now(clock);
    OffsetDateTime financial = now.minusYears(financialYears);
    JsonObject done = new JsonObject();
    Future<Void> stripped = Batches.drain(() -> pool.preparedQuery(STRIP).execute(Tuple.of(now.minusDays(webhookPayloadDays), now))
        .map(r -> r.rowCount()), BATCH).map(n -> done.put("webhook_payloads_stripped", n)).mapEmpty();
    if (!deleteFinancial) return stripped.map(done);
    return stripped
        .compose(v -> delete(OLD_WEBHOOKS, financial)).map(n -> done.put("webhook_events_deleted", n))
        .compose(v -> delete(OLD_REFUNDS, financial)).map(n -> done.put("refunds_deleted", n))
        .compose(v -> delete(OLD_DONATIONS, financial)).map(n -> done.put("donations_deleted", n));
  }

  private Future<Integer> delete(String sql, OffsetDateTime cutoff) {
    return Batches.drain(() -> pool.preparedQuery(sql).execute(Tuple.of(cutoff)).map(r -> r.rowCount()), BATCH);
  }
}
