package sn.wolo.notification.channel;

import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import sn.wolo.platform.config.WoloConfig;

/**
 * The HTTP client of a provider channel (SMS gateway, WhatsApp, push). The sender sends a claimed
 * batch's messages at once, so a channel may hold as many connections as a batch has messages
 * ({@code notification.batch}). With Vert.x's default pool (5 connections) the rest queued behind the
 * provider's latency and, past {@link Channel#SEND_TIMEOUT_SECONDS}, were counted failed while still
 * queued — to be sent by the queue and then again by the retry.
 */
final class ProviderClients {

  private ProviderClients() {
  }

  static WebClient create(Vertx vertx, WoloConfig config) {
    return WebClient.create(vertx, new WebClientOptions(),
        new PoolOptions().setHttp1MaxSize(config.atLeast("notification.batch", 1)));
  }
}
