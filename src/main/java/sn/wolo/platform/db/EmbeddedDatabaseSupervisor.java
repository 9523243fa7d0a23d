package sn.wolo.platform.db;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the dev profile's embedded PostgreSQL running: every second a worker checks the
 * postmaster; if it died (crash, {@code kill -9}), it is started again on the same data directory
 * and port, with a growing delay between attempts (1 s, 2 s, 4 s… at most 30 s). PostgreSQL replays
 * its WAL (fsync and synchronous_commit are on, so nothing acknowledged is lost) and the pool, which
 * keeps connecting to the same address, serves again by itself — no process restart.
 */
public final class EmbeddedDatabaseSupervisor {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseSupervisor.class);
  private static final long CHECK_MS = 1_000;
  private static final long MAX_BACKOFF_MS = 30_000;

  private final Vertx vertx;
  private volatile EmbeddedDatabase current;
  private long timer = -1;
  private long backoffMs = 1_000;
  private long nextAttemptAt;
  private boolean checking;
  private volatile boolean stopped;

  public EmbeddedDatabaseSupervisor(Vertx vertx, EmbeddedDatabase database) {
    this.vertx = vertx;
    this.current = database;
  }

  public EmbeddedDatabaseSupervisor start() {
    timer = vertx.setPeriodic(CHECK_MS, id -> check());
    return this;
  }

  /** The running database (after a restart, the new instance). */
  public EmbeddedDatabase current() {
    return current;
  }

  /** Stops supervising (before the application stops the database on purpose). */
  public void stop() {
    stopped = true;
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  private void check() {
    if (checking || stopped || System.currentTimeMillis() < nextAttemptAt) return;
    checking = true;
    vertx.executeBlocking(() -> {
      if (stopped || current.isRunning()) return true;
      log.error("ALERT the embedded PostgreSQL is down (data in {}): restarting it", current.dataDir());
      int port = current.settings().port();
      current.close();
      current = EmbeddedDatabase.start(current.dataDir(), port);
      log.info("the embedded PostgreSQL is back on port {}", port);
      return true;
    }, false).onComplete(ar -> {
      checking = false;
      if (ar.succeeded()) {
        backoffMs = 1_000;
      } else {
        log.warn("restarting the embedded PostgreSQL failed, next try in {} ms: {}", backoffMs, ar.cause().getMessage());
        nextAttemptAt = System.currentTimeMillis() + backoffMs;
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    });
  }
}
