package sn.wolo.platform.scheduling;

import io.vertx.core.Future;

import java.util.function.Supplier;

/**
 * Retention work done in bounded statements: {@code step} deletes or rewrites at most
 * {@code batch} rows (one short transaction, so no table is locked for long) and is run again while
 * it found a full batch. Answers the total.
 */
public final class Batches {

  private Batches() {
  }

  public static Future<Integer> drain(Supplier<Future<Integer>> step, int batch) {
    return drain(step, batch, 0);
  }

  private static Future<Integer> drain(Supplier<Future<Integer>> step, int batch, int sofar) {
    return step.get().compose(n -> n < batch ? Future.succeededFuture(sofar + n) : drain(step, batch, sofar + n));
  }
}
