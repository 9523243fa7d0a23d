package sn.wolo.notification.channel;

import io.vertx.core.Future;

/** One way of delivering messages. Implementations: SMTP email, SMS gateway, WhatsApp Cloud API, sandbox. */
public interface Channel {

  /** The provider name stored on the message ({@code notifications.provider}). */
  String provider();

  /** Sends; completes with the provider's message id, or fails (the sender retries with backoff). */
  Future<String> send(OutgoingMessage message);
}
