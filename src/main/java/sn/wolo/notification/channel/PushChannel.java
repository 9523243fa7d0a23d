package sn.wolo.notification.channel;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import sn.wolo.platform.config.WoloConfig;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Push through Firebase Cloud Messaging HTTP v1: a message to {@code device:<id>} is sent to that
 * device's registration token ({@code POST {base}/v1/projects/{project}/messages:send}, OAuth bearer).
 * A token FCM no longer knows (404 / UNREGISTERED) removes the device.
 */
public final class PushChannel implements Channel {

  /** What the channel needs of the device registry: a device's token, and forgetting a dead one. */
  public interface DeviceTokens {
    Future<Optional<String>> token(UUID device);

    Future<Void> forget(UUID device);
  }

  private final WebClient client;
  private final String sendUrl;
  private final FcmAccessTokens tokens;
  private final DeviceTokens devices;

  public PushChannel(Vertx vertx, WoloConfig config, DeviceTokens devices, Clock clock) {
    this.client = ProviderClients.create(vertx, config);
    this.sendUrl = config.string("notification.push.base-url") + "/v1/projects/" + config.string("notification.push.project-id")
        + "/messages:send";
    this.tokens = new FcmAccessTokens(vertx, client, config.string("notification.push.client-email"),
        config.string("notification.push.private-key"), config.string("notification.push.token-uri"), clock);
    this.devices = devices;
  }

  @Override
  public String provider() {
    return "fcm";
  }

  @Override
  public Future<String> send(OutgoingMessage m) {
    if (!m.recipient().startsWith("device:")) return Future.failedFuture("a push goes to device:<id>, not " + m.channel());
    UUID device = UUID.fromString(m.recipient().substring("device:".length()));
    return devices.token(device).compose(token -> token.isEmpty()
        ? Future.failedFuture("device " + device + " was removed")
        : tokens.current().compose(bearer -> post(m, device, token.get(), bearer)));
  }

  private Future<String> post(OutgoingMessage m, UUID device, String token, String bearer) {
    JsonObject message = new JsonObject().put("token", token)
        .put("notification", new JsonObject().put("title", m.subject() == null || m.subject().isBlank() ? "WOLO" : m.subject()).put("body", m.body()))
        .put("data", new JsonObject().put("template", m.templateKey()));
    return client.postAbs(sendUrl).timeout(SEND_TIMEOUT_SECONDS * 1000L).putHeader("Authorization", "Bearer " + bearer)
        .sendJsonObject(new JsonObject().put("message", message)).compose(r -> {
          if (r.statusCode() / 100 == 2) return Future.succeededFuture(r.bodyAsJsonObject().getString("name"));
          if (r.statusCode() == 401) tokens.invalidate();
          boolean unregistered = r.statusCode() == 404 || String.valueOf(r.bodyAsString()).contains("UNREGISTERED");
          return unregistered
              ? devices.forget(device).compose(v -> Future.failedFuture("FCM: token unregistered, device removed"))
              : Future.failedFuture("FCM answered " + r.statusCode());
        });
  }

}
