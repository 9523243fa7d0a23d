package sn.wolo.platform.events;

import sn.wolo.platform.config.WoloConfig;

/** How durable event consumers poll, lease, retry and park (the {@code events.*} settings). */
public record EventSettings(int pollMs, int batchSize, int leaseSeconds, int retryBaseMs, int maxAttempts, int concurrency) {

  private static final double MAX_BACKOFF_SECONDS = 300;

  public static EventSettings from(WoloConfig config) {
    return new EventSettings(config.integer("events.poll-ms"), config.integer("events.batch-size"),
        config.integer("events.lease-seconds"), config.integer("events.retry-base-ms"), config.integer("events.max-attempts"),
        config.integer("events.concurrency"));
  }

  /** Exponential: base, 2 × base, 4 × base… capped at five minutes. */
  double backoffSeconds(int attempts) {
    double seconds = retryBaseMs / 1000.0 * Math.pow(2, Math.max(0, attempts - 1));
    return Math.min(seconds, MAX_BACKOFF_SECONDS);
  }
}
