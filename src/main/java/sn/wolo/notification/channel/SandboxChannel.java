package sn.wolo.notification.channel;

import io.vertx.core.Future;

/**
 * Delivers nothing: the message stays in the notifications table, where the dev profile shows it
 * at {@code GET /v1/dev/messages}. Used for every channel that has no provider configured.
 */
public final class SandboxChannel implements Channel {

  @Override
  public String provider() {
    return "sandbox";
  }

  @Override
  public Future<String> send(OutgoingMessage message) {
    return Future.succeededFuture("sandbox-" + message.id());
  }
}
