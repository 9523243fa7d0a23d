package sn.wolo.admin.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.scheduling.Batches;

import java.time.Clock;

/**
 * The audit trail is kept {@code years} (5) and then deleted, in batches, by this job only: each
 * batch's transaction says so ({@code wolo.audit_retention}), which the table's trigger requires.
 */
public final class AuditRetention {

  private static final int BATCH = 5_000;
  private static final String DELETE = """
      DELETE FROM admin.audit_logs WHERE ctid IN (SELECT ctid FROM admin.audit_logs WHERE "timestamp" < $1 LIMIT %d)""".formatted(BATCH);

  private final Pool pool;
  private final Clock clock;
  private final int years;

  public AuditRetention(Pool pool, Clock clock, int years) {
    this.pool = pool;
    this.clock = clock;
    this.years = years;
  }

  /** How many rows were deleted. */
  public Future<Integer> run() {
    var cutoff = Times.now(clock).minusYears(years);
    return Batches.drain(() -> pool.withTransaction(tx -> tx.query("SET LOCAL wolo.audit_retention = 'on'").execute()
        .compose(v -> tx.preparedQuery(DELETE).execute(Tuple.of(cutoff))).map(r -> r.rowCount())), BATCH);
  }
}
