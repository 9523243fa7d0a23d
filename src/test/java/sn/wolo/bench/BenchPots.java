package sn.wolo.bench;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.testing.Await;

import java.util.UUID;

/** Open public pots for a benchmark, each with an owner of its own (a birthday has one live pot per person). */
final class BenchPots {

  private BenchPots() {
  }

  /** {@code n} open pots titled {@code title} (the benchmark's label, to sum its totals), with a target no burst reaches. */
  static UUID[] open(Pool pool, int n, String title) {
    UUID[] owners = new UUID[n];
    UUID[] pots = new UUID[n];
    for (int i = 0; i < n; i++) {
      owners[i] = UUID.randomUUID();
      pots[i] = UUID.randomUUID();
    }
    Await.result(pool.preparedQuery("INSERT INTO identity.users (id, email) SELECT id, 'bench-' || id || '@wolo.sn' FROM unnest($1::uuid[]) AS id")
        .execute(Tuple.of((Object) owners)));
    Await.result(pool.preparedQuery("""
        INSERT INTO pots.pots (id, owner_user_id, title, target_amount_cfa, birthday_date, scheduled_open_at, closes_at, status, visibility)
        SELECT p.id, p.owner, $3, 1000000000, DATE '2031-01-01', TIMESTAMPTZ '2030-12-02T00:00:00Z', TIMESTAMPTZ '2031-01-01T00:00:00Z', 'open',
               'public'
        FROM unnest($1::uuid[], $2::uuid[]) AS p(id, owner)""").execute(Tuple.tuple().addValue(pots).addValue(owners).addString(title)));
    return pots;
  }
}
