package sn.wolo.testing;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/**
 * Open public pots written straight into the database, each with an owner of its own (a birthday has
 * one live pot per person), for tests and benchmarks that exercise donations, not the pot lifecycle.
 */
public final class OpenPots {

  private OpenPots() {
  }

  /** {@code n} open pots titled {@code title} (a label to find or sum them by), with a target no test reaches. */
  public static UUID[] open(Pool pool, int n, String title) {
    UUID[] owners = new UUID[n];
    UUID[] pots = new UUID[n];
    for (int i = 0; i < n; i++) {
      owners[i] = UUID.randomUUID();
      pots[i] = UUID.randomUUID();
    }
    Await.result(pool.preparedQuery("INSERT INTO identity.users (id, email) SELECT id, 'owner-' || id || '@wolo.sn' FROM unnest($1::uuid[]) AS id")
        .execute(Tuple.of((Object) owners)));
    Await.result(pool.preparedQuery("""
        INSERT INTO pots.pots (id, owner_user_id, title, target_amount_cfa, birthday_date, scheduled_open_at, closes_at, status, visibility)
        SELECT p.id, p.owner, $3, 1000000000, DATE '2031-01-01', TIMESTAMPTZ '2030-12-02T00:00:00Z', TIMESTAMPTZ '2031-01-01T00:00:00Z', 'open',
               'public'
        FROM unnest($1::uuid[], $2::uuid[]) AS p(id, owner)""").execute(Tuple.tuple().addValue(pots).addValue(owners).addString(title)));
    return pots;
  }

  /** One open pot titled {@code title}. */
  public static UUID one(Pool pool, String title) {
    return open(pool, 1, title)[0];
  }
}
