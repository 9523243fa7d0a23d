package sn.wolo.pot;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * View and share counts: aggregated in memory (one entry per pot) and written with one UPDATE per
 * flush for all pots, instead of one UPDATE per view. Flushed on a timer and on a clean shutdown.
 * Runs on the pot verticle's event loop only, so the map needs no locking.
 */
final class PotCounters {

  private static final String FLUSH = """
      UPDATE pots.pots p SET view_count = p.view_count + d.views, share_count = p.share_count + d.shares
      FROM unnest($1::uuid[], $2::bigint[], $3::bigint[]) AS d(id, views, shares) WHERE p.id = d.id""";

  private final Pool pool;
  private Map<UUID, long[]> pending = new HashMap<>();

  PotCounters(Pool pool) {
    this.pool = pool;
  }

  void add(UUID potId, long views, long shares) {
    long[] c = pending.computeIfAbsent(potId, k -> new long[2]);
    c[0] += views;
    c[1] += shares;
  }

  /** Writes what was counted; on failure the counts go back into the map for the next flush. */
  Future<Void> flush() {
    if (pending.isEmpty()) return Future.succeededFuture();
    Map<UUID, long[]> batch = pending;
    pending = new HashMap<>();
    UUID[] ids = new UUID[batch.size()];
    Long[] views = new Long[batch.size()];
    Long[] shares = new Long[batch.size()];
    int i = 0;
    for (var e : batch.entrySet()) {
      ids[i] = e.getKey();
      views[i] = e.getValue()[0];
      shares[i++] = e.getValue()[1];
    }
    return pool.preparedQuery(FLUSH).execute(Tuple.of(ids, views, shares)).<Void>mapEmpty()
        .onFailure(err -> batch.forEach((id, c) -> add(id, c[0], c[1])));
  }
}
