package sn.wolo.platform.wave;

import java.time.Clock;

/**
 * Stops calling a provider that keeps failing: after {@code threshold} consecutive failures the
 * circuit opens and calls fail at once for {@code resetMillis}; then one trial call decides
 * (success closes it, failure opens it again). Used from one event loop; methods synchronized for
 * the rare cross-loop use.
 */
final class CircuitBreaker {

  private final int threshold;
  private final long resetMillis;
  private final Clock clock;
  private int failures;
  private long openedAt = -1;
  private boolean trialInFlight;

  CircuitBreaker(int threshold, long resetMillis, Clock clock) {
    this.threshold = threshold;
    this.resetMillis = resetMillis;
    this.clock = clock;
  }

  synchronized boolean allow() {
    if (openedAt < 0) return true;
    if (clock.millis() - openedAt >= resetMillis && !trialInFlight) {
      trialInFlight = true;   // half-open: one call goes through
      return true;
    }
    return false;
  }

  synchronized void success() {
    failures = 0;
    openedAt = -1;
    trialInFlight = false;
  }

  synchronized void failure() {
    trialInFlight = false;
    if (++failures >= threshold) openedAt = clock.millis();
  }

  synchronized boolean isOpen() {
    return openedAt >= 0;
  }
}
