package sn.wolo.platform.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import sn.wolo.platform.config.WoloConfig;

/**
 * The reactive PostgreSQL pool. It is shared by name: every verticle that asks gets a handle on
 * the same connections (closed when the last holder undeploys), so N HTTP instances plus the
 * domain verticles do not multiply the connection count.
 */
public final class Pools {

  public static final String SHARED_POOL = "wolo-pg";

  private Pools() {
  }

  public static Pool shared(Vertx vertx, WoloConfig config) {
    DatabaseSettings db = DatabaseSettings.parse(config.string("db.url"));
    var connect = db.connectOptions().setPipeliningLimit(config.integer("db.pipelining-limit"));
    var options = new PoolOptions()
        .setMaxSize(config.integer("db.pool-size"))
        .setShared(true)
        .setName(SHARED_POOL)
        .setMaxWaitQueueSize(10_000);
    return PgBuilder.pool().with(options).connectingTo(connect).using(vertx).build();
  }
}
