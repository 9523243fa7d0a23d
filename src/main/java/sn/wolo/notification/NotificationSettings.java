package sn.wolo.notification;

import sn.wolo.platform.config.WoloConfig;

/**
 * The notification domain's settings, read and checked once at start (a bad value stops the start,
 * naming its variable). Each provider's own settings are read by its channel when it is made.
 */
record NotificationSettings(int batch, int sweepMs, int leaseSeconds, int retryBaseSeconds, String callbackSecret, String publicBaseUrl) {

  /** A claimed message's lease outlasts its send (bounded by the channel timeout) and the record of its outcome. */
  static final int MIN_LEASE_SECONDS = sn.wolo.notification.channel.Channel.SEND_TIMEOUT_SECONDS + 5;

  static NotificationSettings from(WoloConfig c) {
    return new NotificationSettings(c.atLeast("notification.batch", 1), c.atLeast("notification.sweep-ms", 10),
        c.atLeast("notification.lease-seconds", MIN_LEASE_SECONDS), c.atLeast("notification.retry-base-seconds", 1), c.string("notification.callback-secret"),
        c.string("public.base-url"));
  }
}
