package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.Times;
import sn.wolo.platform.wave.WaveClient;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A lost webhook never loses a donation: donations still pending after a while are looked up at
 * Wave ({@code GET /v1/checkout/sessions/:id}) and settled exactly as the webhook would have
 * settled them (paid → succeeded; expired unpaid → failed). Wave is called outside any transaction;
 * the settlement itself is idempotent, so two instances reconciling at once are harmless.
 *
 * <p>The queue always advances: a donation that could not be settled (session still open, Wave
 * unreachable) gets its next check later ({@code reconcile_after}, doubling from a minute to an
 * hour), so it never holds back the ones behind it; a session Wave does not know, once older than
 * a session's lifetime, ends the donation as failed (expired).
 */
final class Reconciler {

  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
  // Claimed, not just read: each candidate's next check moves a lease ahead in the claiming
  // transaction, so instances running the reconciler at once share the work instead of asking Wave
  // about the same donations; a claim whose instance died is retried when its lease is over.
  private static final String CLAIM = """
      UPDATE donations.donations d SET reconcile_after = $3
      FROM (SELECT id FROM donations.donations
            WHERE status IN ('pending', 'processing') AND wave_checkout_session_id IS NOT NULL AND initiated_at < $1
              AND COALESCE(reconcile_after, initiated_at) <= $2
            ORDER BY COALESCE(reconcile_after, initiated_at) LIMIT 200 FOR UPDATE SKIP LOCKED) due
      WHERE d.id = due.id
      RETURNING d.id, d.wave_checkout_session_id, d.initiated_at, d.amount_cfa, d.reconcile_attempts""";
  private static final long LEASE_SECONDS = 600;
  private static final String POSTPONE = """
      UPDATE donations.donations SET reconcile_attempts = reconcile_attempts + 1,
             reconcile_after = $2::timestamptz + make_interval(secs => least(60 * power(2, reconcile_attempts), 3600))
      WHERE id = $1""";
  /** Wave's checkout sessions live 30 minutes; past this, a session Wave does not know will never be paid. */
  private static final long SESSION_LIFETIME_SECONDS = 30 * 60 + 5 * 60;

  private final Pool pool;
  private final WaveClient wave;
  private final Settlement settlement;
  private final Clock clock;
  private final long afterSeconds;

  Reconciler(Pool pool, WaveClient wave, Settlement settlement, Clock clock, long afterSeconds) {
    this.pool = pool;
    this.wave = wave;
    this.settlement = settlement;
    this.clock = clock;
    this.afterSeconds = afterSeconds;
  }

  /** Returns how many donations changed state. */
  Future<Integer> run() {
    OffsetDateTime now = Times.now(clock);
    OffsetDateTime cutoff = Times.utc(clock.instant().minusSeconds(afterSeconds));
    return pool.preparedQuery(CLAIM).execute(Tuple.of(cutoff, now, now.plusSeconds(LEASE_SECONDS))).compose(rows -> {
      List<Row> todo = new ArrayList<>();
      rows.forEach(todo::add);
      Future<Integer> chain = Future.succeededFuture(0);
      for (Row r : todo) {
        chain = chain.compose(n -> reconcileOne(r)
            .compose(changed -> changed ? Future.succeededFuture(n + 1) : postpone(r, now).map(n))
            .recover(e -> {
              log.warn("reconciliation of donation {} postponed: {}", r.getUUID("id"), e.toString());
              return postpone(r, now).map(n).recover(x -> Future.succeededFuture(n));
            }));
      }
      return chain;
    });
  }

  private Future<Void> postpone(Row r, OffsetDateTime now) {
    return pool.preparedQuery(POSTPONE).execute(Tuple.of(r.getUUID("id"), now)).mapEmpty();
  }

  private Future<Boolean> reconcileOne(Row r) {
    String donationId = r.getUUID("id").toString();
    return wave.getSession(r.getString("wave_checkout_session_id"))
        .recover(e -> unknownAndTooOld(e, r)
            // Wave never heard of it and it can no longer be paid: settle as an expired session.
            ? Future.succeededFuture(new io.vertx.core.json.JsonObject().put("checkout_status", "expired").put("payment_status", "cancelled")
                .put("id", r.getString("wave_checkout_session_id")).put("unknown_at_wave", true)
                .put("amount", String.valueOf(r.getInteger("amount_cfa"))).put("currency", "XOF"))
            : Future.failedFuture(e))
        .compose(session -> {
          boolean paid = "complete".equals(session.getString("checkout_status")) && "succeeded".equals(session.getString("payment_status"));
          boolean dead = "expired".equals(session.getString("checkout_status"))
              || (!paid && session.getString("when_expires") != null && Instant.parse(session.getString("when_expires")).isBefore(clock.instant()));
          if (!paid && !dead) return Future.succeededFuture(false);   // still open: the payer may pay
          return pool.withTransaction(tx -> settlement.apply(tx, donationId, session, paid))
              .map(o -> o.result() == Settlement.Result.APPLIED);
        });
  }

  private boolean unknownAndTooOld(Throwable e, Row r) {
    return e instanceof sn.wolo.platform.wave.WaveException w && w.status() == 404
        && r.getOffsetDateTime("initiated_at").toInstant().isBefore(clock.instant().minusSeconds(SESSION_LIFETIME_SECONDS));
  }
}
