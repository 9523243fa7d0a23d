package sn.wolo.redemption;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.Times;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;
import sn.wolo.platform.wave.WaveClient;
import sn.wolo.platform.wave.WaveException;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Pays an approved settlement's partner share through a Wave payout, exactly once.
 *
 * <p>Step 1 claims the settlement in a committed transaction and fixes its idempotency key (kept
 * across attempts): two admins clicking at once → one claim, the other gets 409
 * {@code payout_in_progress}. Step 2 calls Wave with that key. Step 3 records the answer:
 * {@code succeeded} → {@code paid} with the payout id as payment reference; {@code processing} →
 * stays approved, completed later; {@code failed}/{@code reversed} or a refusal → the key is cleared
 * (the next attempt is a new payment). No answer (timeout, crash between the call and the commit) →
 * the claim stays; after {@code payout-claim-seconds} the recovery sweep (or an admin) repeats the
 * call with the SAME key, and Wave answers with the payout it already made instead of paying again.
 */
final class Payouts {

  private static final Logger log = LoggerFactory.getLogger(Payouts.class);
  private static final String CLAIM = """
      UPDATE redemption.partner_settlements s SET payout_key = COALESCE(s.payout_key, gen_random_uuid()), payout_requested_at = $2,
             updated_at = now()
      FROM packs.partners p
      WHERE s.id = $1 AND p.id = s.partner_id AND s.status = 'approved' AND (s.payout_requested_at IS NULL OR s.payout_requested_at < $3)
      RETURNING s.payout_key, s.partner_share_cfa, p.contact_phone, p.name""";
  private static final String PAID = """
      UPDATE redemption.partner_settlements SET status = 'paid', payment_reference = $3, paid_at = $4, payout_id = $3,
             payout_status = 'succeeded', payout_failure = NULL, updated_at = now()
      WHERE id = $1 AND status = 'approved' AND payout_key = $2""";
  private static final String PROCESSING = """
      UPDATE redemption.partner_settlements SET payout_id = $3, payout_status = 'processing', updated_at = now()
      WHERE id = $1 AND status = 'approved' AND payout_key = $2""";
  private static final String FAILED = """
      UPDATE redemption.partner_settlements SET payout_key = NULL, payout_requested_at = NULL, payout_id = $3, payout_status = $4,
             payout_failure = $5, updated_at = now()
      WHERE id = $1 AND status = 'approved' AND payout_key = $2""";
  private static final String DUE_RECOVERY = """
      SELECT id FROM redemption.partner_settlements
      WHERE status = 'approved' AND payout_key IS NOT NULL AND payout_requested_at < $1 ORDER BY payout_requested_at LIMIT 20""";

  private final Pool pool;
  private final Clock clock;
  private final WaveClient wave;
  private final int claimSeconds;
  private final Settlements settlements;

  Payouts(Pool pool, Clock clock, WaveClient wave, int claimSeconds, Settlements settlements) {
    this.pool = pool;
    this.clock = clock;
    this.wave = wave;
    this.claimSeconds = claimSeconds;
    this.settlements = settlements;
  }

  /** Admin: pay now. Answers the settlement (paid, or still approved with the payout's state). */
  Future<JsonObject> pay(UUID id) {
    OffsetDateTime now = Times.now(clock);
    return pool.preparedQuery(CLAIM).execute(Tuple.of(id, now, now.minusSeconds(claimSeconds))).compose(rows -> {
      if (rows.size() == 0) return refusal(id);
      Row r = rows.iterator().next();
      return callWave(id, r).compose(v -> settlements.get(id, null));
    });
  }

  /** Completes claims left without an answer (timeouts, crashes); returns how many were retried. */
  Future<Integer> recover() {
    OffsetDateTime now = Times.now(clock);
    return pool.preparedQuery(DUE_RECOVERY).execute(Tuple.of(now.minusSeconds(claimSeconds))).compose(rows -> {
      List<UUID> ids = new ArrayList<>();
      rows.forEach(r -> ids.add(r.getUUID("id")));
      Future<Integer> chain = Future.succeededFuture(0);
      for (UUID id : ids) {
        chain = chain.compose(n -> pool.preparedQuery(CLAIM).execute(Tuple.of(id, Times.now(clock), Times.now(clock).minusSeconds(claimSeconds)))
            .compose(claimed -> claimed.size() == 0 ? Future.succeededFuture(n)
                : callWave(id, claimed.iterator().next()).map(n + 1))
            .recover(e -> {
              log.warn("payout recovery of settlement {} failed, retried later: {}", id, e.toString());
              return Future.succeededFuture(n);
            }));
      }
      return chain;
    });
  }

  private Future<Void> callWave(UUID id, Row claim) {
    UUID key = claim.getUUID("payout_key");
    String mobile = claim.getString("contact_phone");
    if (mobile == null) return recordFailure(id, key, null, "failed", "The partner has no Wave mobile (contact_phone).");
    return wave.payout(claim.getLong("partner_share_cfa"), mobile, claim.getString("name"), id.toString(), "WOLO reglement partenaire", key.toString())
        .compose(payout -> switch (payout.getString("status", "")) {
          case "succeeded" -> paid(id, key, payout);
          case "processing" -> pool.preparedQuery(PROCESSING).execute(Tuple.of(id, key, payout.getString("id"))).<Void>mapEmpty();
          default -> recordFailure(id, key, payout.getString("id"), payout.getString("status"),
              payout.getJsonObject("payout_error", new JsonObject()).getString("error_code", "payout " + payout.getString("status")));
        }, e -> {
          if (e instanceof WaveException w && !w.retryable()) return recordFailure(id, key, null, "failed", w.code());
          // No answer: Wave may or may not have paid. The claim stays; the same key settles it later.
          log.warn("payout of settlement {} has no answer yet ({}); retried with the same idempotency key", id, e.toString());
          return Future.succeededFuture();
        });
  }

  private Future<Void> paid(UUID id, UUID key, JsonObject payout) {
    return pool.withTransaction(tx -> tx.preparedQuery(PAID).execute(Tuple.of(id, key, payout.getString("id"), Times.now(clock)))
        .compose(rows -> rows.rowCount() == 0 ? Future.<Void>succeededFuture()
            : Outbox.append(tx, DomainEvent.of("settlement.paid", "settlement", id, new JsonObject().put("settlement_id", id.toString())
                .put("payout_id", payout.getString("id")).put("amount_cfa", Long.parseLong(payout.getString("receive_amount", "0"))),
                clock.instant()))));
  }

  private Future<Void> recordFailure(UUID id, UUID key, String payoutId, String status, String reason) {
    log.warn("payout of settlement {} {}: {}", id, status, reason);
    return pool.preparedQuery(FAILED).execute(Tuple.of(id, key, payoutId, "reversed".equals(status) ? "reversed" : "failed", reason)).mapEmpty();
  }

  private Future<JsonObject> refusal(UUID id) {
    return settlements.get(id, null).map(s -> {
      String status = s.getString("status");
      if ("paid".equals(status)) throw DomainException.conflict("already_paid", "This settlement is already paid (" + s.getString("payment_reference") + ").");
      if ("approved".equals(status)) throw DomainException.conflict("payout_in_progress", "A payout of this settlement is under way.");
      throw DomainException.conflict("settlement_not_approved", "Only an approved settlement can be paid; this one is " + status + ".");
    });
  }
}
