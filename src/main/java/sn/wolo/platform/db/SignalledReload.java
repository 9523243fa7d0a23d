package sn.wolo.platform.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Keeps an in-memory copy of some table current in every process: reloaded when any process
 * NOTIFYs {@code channel} (within a moment, after that process's commit), and every
 * {@code periodMs} so a missed signal (a dropped LISTEN connection) heals by itself.
 */
public final class SignalledReload {

  private static final Logger log = LoggerFactory.getLogger(SignalledReload.class);

  private final Vertx vertx;
  private final String what;
  private final long periodMs;
  private final Supplier<Future<Void>> load;
  private long timer = -1;

  /** {@code signals} may be null (no cross-process signal: the periodic reload only). */
  public SignalledReload(Vertx vertx, DatabaseSignals signals, String channel, long periodMs, String what, Supplier<Future<Void>> load) {
    this.vertx = vertx;
    this.what = what;
    this.periodMs = periodMs;
    this.load = load;
    if (signals != null) signals.on(channel, payload -> reload());
  }

  public Future<Void> start() {
    timer = vertx.setPeriodic(periodMs, id -> reload());
    return reload();
  }

  public void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  public Future<Void> reload() {
    return load.get().onFailure(e -> log.warn("{} not reloaded, the next refresh retries: {}", what, e.toString()));
  }
}
