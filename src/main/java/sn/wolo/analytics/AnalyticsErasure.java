package sn.wolo.analytics;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/**
 * What an erased person leaves in analytics ({@code identity.user_erased}): their events stay in the
 * counts but lose user id, session, device id, IP and user agent; their A/B assignments are deleted.
 */
final class AnalyticsErasure {

  private static final String EVENTS = """
      UPDATE analytics.analytics_events SET user_id = NULL, session_id = NULL, anonymous_id = NULL, ip_address = NULL, user_agent = NULL
      WHERE user_id = $1""";

  private final Pool pool;

  AnalyticsErasure(Pool pool) {
    this.pool = pool;
  }

  Future<Void> erase(UUID user) {
    return pool.withTransaction(tx -> tx.preparedQuery(EVENTS).execute(Tuple.of(user))
        .compose(v -> tx.preparedQuery("DELETE FROM analytics.ab_test_assignments WHERE user_id = $1").execute(Tuple.of(user)))).mapEmpty();
  }
}
