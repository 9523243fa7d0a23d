package sn.wolo.platform.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed-window request limit per client IP, kept in memory by each edge instance (so the limit
 * of the whole fleet is roughly instances × limit). It protects the expensive and guessable
 * endpoints (login, OTP); the durable per-phone OTP limits live in the database.
 */
public final class RateLimit implements Handler<RoutingContext> {

  private record Window(long start, AtomicInteger count) {
  }

  private final int perMinute;
  private final Clock clock;
  private final java.util.function.Function<RoutingContext, String> key;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  public RateLimit(int perMinute, Clock clock) {
    this(perMinute, clock, ctx -> ClientInfo.ip(ctx) == null ? "?" : ClientInfo.ip(ctx));
  }

  /** Limits per {@code key} (e.g. the authenticated user) instead of per client IP. */
  public RateLimit(int perMinute, Clock clock, java.util.function.Function<RoutingContext, String> key) {
    this.perMinute = perMinute;
    this.clock = clock;
    this.key = key;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long minute = clock.millis() / 60_000;
    Window w = windows.compute(key.apply(ctx), (k, old) -> old == null || old.start() != minute ? new Window(minute, new AtomicInteger()) : old);
    if (w.count().incrementAndGet() > perMinute) {
      long retry = 60 - (clock.millis() / 1000) % 60;
      ctx.response().putHeader("Retry-After", String.valueOf(retry));
      ctx.fail(new DomainException(ErrorKind.RATE_LIMITED, "too_many_requests", "Too many requests; retry in " + retry + " s."));
      return;
    }
    if (windows.size() > 100_000) windows.entrySet().removeIf(e -> e.getValue().start() != minute);
    ctx.next();
  }
}
