package sn.wolo.platform.scheduling;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Runs a "claim due rows and act on them" step on a periodic timer. Deadlines live in the database;
 * each batch runs in its own transaction, so the step's claim query must lock what it takes with
 * {@code FOR UPDATE SKIP LOCKED}: then any number of instances can sweep together and each row is
 * handled once, and a restart or a late tick simply catches up.
 *
 * <p>A sweep drains: it repeats while batches come back full. Ticks never overlap.
 */
public final class DueWorkSweeper {

  /** Claims up to {@code limit} due rows inside {@code tx}, acts on them, and says how many it handled. */
  @FunctionalInterface
  public interface Batch {
    Future<Integer> run(SqlConnection tx, int limit);
  }

  private static final Logger log = LoggerFactory.getLogger(DueWorkSweeper.class);

  /** A step that manages its own transactions: handles up to {@code limit} due items, says how many. */
  @FunctionalInterface
  public interface Step {
    Future<Integer> run(int limit);
  }

  private final Vertx vertx;
  private final String name;
  private final int batchSize;
  private final Step step;
  private long timerId = -1;
  private Future<Integer> current;
  private boolean rerun;

  /** Each batch in its own transaction. */
  public DueWorkSweeper(Vertx vertx, Pool pool, String name, int batchSize, Batch batch) {
    this(vertx, name, batchSize, limit -> pool.withTransaction(tx -> batch.run(tx, limit)));
  }

  public DueWorkSweeper(Vertx vertx, String name, int batchSize, Step step) {
    this.vertx = vertx;
    this.name = name;
    this.batchSize = batchSize;
    this.step = step;
  }

  public DueWorkSweeper start(Duration period) {
    timerId = vertx.setPeriodic(period.toMillis(), id -> sweep());
    return this;
  }

  public void stop() {
    if (timerId >= 0) vertx.cancelTimer(timerId);
    timerId = -1;
  }

  /**
   * Sweeps until nothing due is left and returns how many rows were handled. When a sweep is
   * already running, returns that sweep's result instead of starting a second one — and another
   * sweep follows it, since the request may be about work that running sweep has already passed
   * (a message queued after its claim).
   */
  public Future<Integer> sweep() {
    if (current != null && !current.isComplete()) {
      rerun = true;
      return current;
    }
    current = drain(0)
        .onFailure(e -> log.warn("sweep {} failed, next tick retries: {}", name, e.toString()))
        .onComplete(ar -> {
          if (rerun) {
            rerun = false;
            sweep();
          }
        });
    return current;
  }

  private Future<Integer> drain(int soFar) {
    return step.run(batchSize)
        .compose(n -> n >= batchSize ? drain(soFar + n) : Future.succeededFuture(soFar + n));
  }
}
