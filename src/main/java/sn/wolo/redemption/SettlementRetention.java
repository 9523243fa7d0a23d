package sn.wolo.redemption;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.scheduling.Batches;

import java.time.Clock;

/**
 * Paid partner settlements older than the financial retention (7 years, {@code retention.*}) are
 * deleted when the configured action is {@code delete}, with the gifts they paid and those gifts' scan
 * logs (a gift must never lose its settlement and look unpaid: it would be settled again). In
 * batches, daily, by one instance.
 */
final class SettlementRetention {

  private static final int BATCH = 1_000;
  private static final String OLD = """
      SELECT id FROM redemption.partner_settlements WHERE status = 'paid' AND period_end < $1::date LIMIT %d""".formatted(BATCH);

  private final Pool pool;
  private final Clock clock;
  private final int years;
  private final boolean delete;

  SettlementRetention(Pool pool, Clock clock, int years, String action) {
    this.pool = pool;
    this.clock = clock;
    this.years = years;
    this.delete = action.equals("delete");
  }

  Future<Integer> run() {
    if (!delete) return Future.succeededFuture(0);
    var cutoff = Times.now(clock).minusYears(years).toLocalDate();
    return Batches.drain(() -> pool.withTransaction(tx -> tx.preparedQuery(OLD).execute(Tuple.of(cutoff)).compose(rows -> {
      java.util.UUID[] ids = new java.util.UUID[rows.size()];
      int i = 0;
      for (var r : rows) ids[i++] = r.getUUID("id");
      Tuple batch = Tuple.of((Object) ids);
      return tx.preparedQuery("""
              DELETE FROM redemption.qr_redemption_logs WHERE qr_code_id IN (SELECT id FROM redemption.qr_codes WHERE settlement_id = ANY($1))""")
          .execute(batch)
          .compose(v -> tx.preparedQuery("DELETE FROM redemption.qr_codes WHERE settlement_id = ANY($1)").execute(batch))
          .compose(v -> tx.preparedQuery("DELETE FROM redemption.partner_settlements WHERE id = ANY($1)").execute(batch))
          .map(r -> r.rowCount());
    })), BATCH);
  }
}
