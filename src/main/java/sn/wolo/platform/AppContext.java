package sn.wolo.platform;

import sn.wolo.platform.db.DatabaseSignals;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.config.WoloConfig;

import java.time.Clock;

/**
 * What every verticle is built with: the configuration, the clock, the database pool and the
 * process's one LISTEN/NOTIFY connection (both owned and closed by the application, never by a
 * verticle). Time always comes from this clock (never {@code Instant.now()}), so tests can move to
 * J-30 or to the birthday.
 */
public record AppContext(WoloConfig config, Clock clock, Pool pool, DatabaseSignals signals,
                         io.micrometer.prometheusmetrics.PrometheusMeterRegistry metrics) {

  /** Without cross-process signals (tests of a single component). */
  public AppContext(WoloConfig config, Clock clock, Pool pool) {
    this(config, clock, pool, null, null);
  }

  /** The same application with other settings (tests mount a second edge on another port). */
  public AppContext withConfig(WoloConfig other) {
    return new AppContext(other, clock, pool, signals, metrics);
  }
}
