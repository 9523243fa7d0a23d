package sn.wolo.testing;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits for an asynchronous outcome (an event applied, a webhook processed) by re-checking a
 * condition until it holds, within a bound — never a fixed sleep.
 */
public final class Eventually {

  private Eventually() {
  }

  public static void until(String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (Boolean.TRUE.equals(condition.get())) return;
      Thread.onSpinWait();
    }
    throw new AssertionError("timed out waiting for: " + what);
  }
}
