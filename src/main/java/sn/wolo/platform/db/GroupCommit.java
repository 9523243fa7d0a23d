package sn.wolo.platform.db;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.pgclient.PgException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Group commit for high-volume durable writes: while one batch is being written, the items that
 * arrive queue up and go together in the next write (one transaction for many requests; no timer,
 * so a lone item is written at once). Each submitter's future completes with its own result only
 * after its batch is committed. Batches hold at most {@code maxWeight} (an item weighs, e.g., its
 * number of rows; one item always fits). One instance per event loop: no locking.
 *
 * <p>One bad item never fails its neighbours: when a batch fails because of its data (a value
 * PostgreSQL refuses, a constraint, a deadlock with another writer — SQLSTATE classes 22, 23, 40),
 * the batch is split in halves and each half written again, down to the item at fault, which
 * alone gets the error. A failure of the database itself (connection lost) fails the batch.
 *
 * @param <T> what a caller submits
 * @param <R> what that caller gets back once written
 */
public final class GroupCommit<T, R> {

  private record Pending<T, R>(T item, Promise<R> done) {
  }

  private final int maxWeight;
  private final ToIntFunction<T> weight;
  private final Function<List<T>, Future<List<R>>> writeBatch;
  private List<Pending<T, R>> queue = new ArrayList<>();
  private boolean writing;

  /** {@code writeBatch} writes a batch durably and answers one result per item, in order. */
  public GroupCommit(int maxWeight, ToIntFunction<T> weight, Function<List<T>, Future<List<R>>> writeBatch) {
    this.maxWeight = maxWeight;
    this.weight = weight;
    this.writeBatch = writeBatch;
  }

  public Future<R> submit(T item) {
    Promise<R> done = Promise.promise();
    queue.add(new Pending<>(item, done));
    if (!writing) writeNext();
    return done.future();
  }

  private void writeNext() {
    if (queue.isEmpty()) {
      writing = false;
      return;
    }
    writing = true;
    int taken = 0;
    int total = 0;
    while (taken < queue.size() && (taken == 0 || total + weight.applyAsInt(queue.get(taken).item()) <= maxWeight)) {
      total += weight.applyAsInt(queue.get(taken).item());
      taken++;
    }
    List<Pending<T, R>> batch = new ArrayList<>(queue.subList(0, taken));
    queue = new ArrayList<>(queue.subList(taken, queue.size()));
    write(batch).onComplete(v -> writeNext());
  }

  /** Writes {@code batch}; completes every submitter; never fails itself. */
  private Future<Void> write(List<Pending<T, R>> batch) {
    List<T> items = new ArrayList<>(batch.size());
    batch.forEach(p -> items.add(p.item()));
    Future<List<R>> written;
    try {
      written = writeBatch.apply(items);
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    return written.transform(ar -> {
      if (ar.succeeded()) {
        for (int i = 0; i < batch.size(); i++) batch.get(i).done().complete(ar.result().get(i));
        return Future.succeededFuture();
      }
      if (batch.size() > 1 && causedByData(ar.cause())) {
        int half = batch.size() / 2;
        return write(batch.subList(0, half)).compose(v -> write(batch.subList(half, batch.size())));
      }
      batch.forEach(p -> p.done().fail(ar.cause()));
      return Future.succeededFuture();
    });
  }

  /** Data exception, integrity violation, or transaction rollback (deadlock, serialization): retrying fewer items can succeed. */
  static boolean causedByData(Throwable failure) {
    if (!(failure instanceof PgException pg) || pg.getSqlState() == null) return false;
    String state = pg.getSqlState();
    return state.startsWith("22") || state.startsWith("23") || state.startsWith("40");
  }
}
