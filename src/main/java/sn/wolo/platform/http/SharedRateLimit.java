package sn.wolo.platform.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.db.DatabaseErrors;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Function;

/**
 * A fixed-window limit that holds across every instance: one row per key and minute in PostgreSQL,
 * incremented atomically ({@code platform.rate_limit_windows}). For the endpoints whose limit is a
 * security promise (sign-in, OTP) — N instances must not multiply it. It costs one statement per
 * request, so the general per-IP flood guard stays in memory ({@link RateLimit}). If the database
 * cannot answer, the request is refused (503) rather than let through unlimited.
 */
public final class SharedRateLimit implements Handler<RoutingContext> {

  private static final String HIT = """
      INSERT INTO platform.rate_limit_windows (limit_key, window_start, hits) VALUES ($1, $2, 1)
      ON CONFLICT (limit_key, window_start) DO UPDATE SET hits = platform.rate_limit_windows.hits + 1 RETURNING hits""";

  private final Pool pool;
  private final String name;
  private final int perMinute;
  private final Clock clock;
  private final Function<RoutingContext, String> key;

  /** {@code name} separates limits in the table (e.g. "auth"); {@code key} picks the subject (by default the client IP). */
  public SharedRateLimit(Pool pool, String name, int perMinute, Clock clock) {
    this.pool = pool;
    this.name = name;
    this.perMinute = perMinute;
    this.clock = clock;
    this.key = ctx -> ClientInfo.ip(ctx) == null ? "?" : ClientInfo.ip(ctx);
  }

  @Override
  public void handle(RoutingContext ctx) {
    long now = clock.millis();
    Instant window = Instant.ofEpochMilli(now - now % 60_000);
    pool.preparedQuery(HIT).execute(Tuple.of(name + ":" + key.apply(ctx), window.atOffset(ZoneOffset.UTC))).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(DatabaseErrors.unavailable(ar.cause()) ? DomainException.databaseUnavailable() : ar.cause());
      } else if (ar.result().iterator().next().getInteger(0) > perMinute) {
        long retry = 60 - (now / 1000) % 60;
        ctx.response().putHeader("Retry-After", String.valueOf(retry));
        ctx.fail(new DomainException(ErrorKind.RATE_LIMITED, "too_many_requests", "Too many requests; retry in " + retry + " s."));
      } else {
        ctx.next();
      }
    });
  }

  /** Windows older than an hour (the relay's hourly housekeeping). */
  public static io.vertx.core.Future<Integer> purge(Pool pool, Clock clock) {
    return pool.preparedQuery("DELETE FROM platform.rate_limit_windows WHERE window_start < $1")
        .execute(Tuple.of(clock.instant().minusSeconds(3600).atOffset(ZoneOffset.UTC))).map(r -> r.rowCount());
  }
}
