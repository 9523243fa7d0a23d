package sn.wolo.notification.channel;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import sn.wolo.platform.config.WoloConfig;

/**
 * WhatsApp Business Cloud API template messages: {@code POST <base>/<phone-number-id>/messages}
 * with a Bearer token, {@code {"messaging_product":"whatsapp","to","type":"template","template":
 * {"name","language":{"code"},"components":[{"type":"body","parameters":[…]}]}}}; the answer carries
 * {@code messages[0].id}. The WhatsApp template (approved by Meta) has the same name as ours and
 * takes our template's variables, in their declared order, as body parameters.
 */
public final class WhatsAppChannel implements Channel {

  private final WebClient client;
  private final String url;
  private final String token;

  public WhatsAppChannel(Vertx vertx, WoloConfig config) {
    this.client = ProviderClients.create(vertx, config);
    this.url = config.string("notification.whatsapp.base-url") + "/" + config.string("notification.whatsapp.phone-number-id") + "/messages";
    this.token = config.string("notification.whatsapp.token");
  }

  @Override
  public String provider() {
    return "whatsapp_business";
  }

  @Override
  public Future<String> send(OutgoingMessage m) {
    JsonArray parameters = new JsonArray();
    m.data().forEach(e -> parameters.add(new JsonObject().put("type", "text").put("text", String.valueOf(e.getValue()))));
    JsonObject body = new JsonObject().put("messaging_product", "whatsapp").put("to", m.recipient().replace("+", ""))
        .put("type", "template").put("template", new JsonObject().put("name", m.templateKey())
            .put("language", new JsonObject().put("code", m.locale() == null ? "fr" : m.locale().substring(0, 2)))
            .put("components", new JsonArray().add(new JsonObject().put("type", "body").put("parameters", parameters))));
    return client.postAbs(url).timeout(SEND_TIMEOUT_SECONDS * 1000L).putHeader("Authorization", "Bearer " + token).sendJsonObject(body)
        .compose(r -> {
          if (r.statusCode() / 100 != 2) return Future.failedFuture("whatsapp answered " + r.statusCode());
          JsonArray messages = r.bodyAsJsonObject().getJsonArray("messages");
          return Future.succeededFuture(messages == null || messages.isEmpty() ? "wa-" + m.id() : messages.getJsonObject(0).getString("id"));
        });
  }
}
