package sn.wolo.platform.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import sn.wolo.platform.config.WoloConfig;

/**
 * The reactive PostgreSQL pool. The application builds one and hands it to every verticle through
 * {@code AppContext}, so N HTTP instances plus the domain verticles do not multiply the connection
 * count; the application closes it last, after every verticle has stopped (a verticle closing a
 * pool it shares would cut the others' queries, e.g. a flush at shutdown).
 */
public final class Pools {

  private Pools() {
  }

  public static Pool create(Vertx vertx, WoloConfig config) {
    DatabaseSettings db = DatabaseSettings.parse(config.string("db.url"));
    var connect = db.connectOptions().setPipeliningLimit(config.integer("db.pipelining-limit"));
    // Fail fast when the database is gone: a connect attempt and a wait for a pooled connection are
    // bounded, so requests answer 503 database_unavailable instead of hanging.
    var options = new PoolOptions()
        .setMaxSize(config.integer("db.pool-size"))
        .setConnectionTimeout(config.integer("db.acquire-timeout-ms"))
        .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
        .setMaxWaitQueueSize(10_000)
        .setEventLoopSize(Math.max(1, Runtime.getRuntime().availableProcessors()));
    var net = new io.vertx.core.net.NetClientOptions().setConnectTimeout(config.integer("db.connect-timeout-ms"));
    return PgBuilder.pool().with(options).with(net).connectingTo(connect).using(vertx).build();
  }
}
