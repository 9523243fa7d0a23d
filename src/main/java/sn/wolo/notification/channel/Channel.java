package sn.wolo.notification.channel;

import io.vertx.core.Future;

/** One way of delivering messages. Implementations: SMTP email, SMS gateway, WhatsApp Cloud API, sandbox. */
public interface Channel {

  /**
   * The longest a send may take before the sender counts it as failed (and retries it later). A
   * claimed message's lease must outlast it, or the sender would claim and send again a message whose
   * first send is still waiting for its provider.
   */
  int SEND_TIMEOUT_SECONDS = 10;

  /** The provider name stored on the message ({@code notifications.provider}). */
  String provider();

  /** Sends; completes with the provider's message id, or fails (the sender retries with backoff). */
  Future<String> send(OutgoingMessage message);
}
