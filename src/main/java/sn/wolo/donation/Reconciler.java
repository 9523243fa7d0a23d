package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.donation.wave.WaveClient;
import sn.wolo.platform.Times;

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
 */
final class Reconciler {

  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
  private static final String CANDIDATES = """
      SELECT id, wave_checkout_session_id FROM donations.donations
      WHERE status IN ('pending', 'processing') AND wave_checkout_session_id IS NOT NULL AND initiated_at < $1
      ORDER BY initiated_at LIMIT 200""";

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
    OffsetDateTime cutoff = Times.utc(clock.instant().minusSeconds(afterSeconds));
    return pool.preparedQuery(CANDIDATES).execute(Tuple.of(cutoff)).compose(rows -> {
      List<Row> todo = new ArrayList<>();
      rows.forEach(todo::add);
      Future<Integer> chain = Future.succeededFuture(0);
      for (Row r : todo) {
        chain = chain.compose(n -> reconcileOne(r.getUUID("id").toString(), r.getString("wave_checkout_session_id"))
            .map(changed -> n + (changed ? 1 : 0))
            .recover(e -> {
              log.warn("reconciliation of donation {} postponed: {}", r.getUUID("id"), e.toString());
              return Future.succeededFuture(n);
            }));
      }
      return chain;
    });
  }

  private Future<Boolean> reconcileOne(String donationId, String sessionId) {
    return wave.getSession(sessionId).compose(session -> {
      boolean paid = "complete".equals(session.getString("checkout_status")) && "succeeded".equals(session.getString("payment_status"));
      boolean dead = "expired".equals(session.getString("checkout_status"))
          || (!paid && session.getString("when_expires") != null && Instant.parse(session.getString("when_expires")).isBefore(clock.instant()));
      if (!paid && !dead) return Future.succeededFuture(false);   // still open: the payer may pay
      return pool.withTransaction(tx -> settlement.apply(tx, donationId, session, paid))
          .map(o -> o.result() == Settlement.Result.APPLIED);
    });
  }

}
