package sn.wolo.notification.channel;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import sn.wolo.platform.config.WoloConfig;

/**
 * SMS through an HTTP gateway: {@code POST <base>/messages {"to","from","text","reference"}} with
 * {@code Authorization: Bearer <api key>}; the gateway answers {@code {"id"}}. 10 s timeout.
 */
public final class SmsGatewayChannel implements Channel {

  private final WebClient client;
  private final String baseUrl;
  private final String apiKey;
  private final String sender;

  public SmsGatewayChannel(Vertx vertx, WoloConfig config) {
    this.client = ProviderClients.create(vertx, config);
    this.baseUrl = config.string("notification.sms.base-url");
    this.apiKey = config.string("notification.sms.api-key");
    this.sender = config.string("notification.sms.sender");
  }

  @Override
  public String provider() {
    return "sms_gateway";
  }

  @Override
  public Future<String> send(OutgoingMessage m) {
    return client.postAbs(baseUrl + "/messages").timeout(SEND_TIMEOUT_SECONDS * 1000L).putHeader("Authorization", "Bearer " + apiKey)
        .sendJsonObject(new JsonObject().put("to", m.recipient()).put("from", sender).put("text", m.body()).put("reference", m.id()))
        .compose(r -> r.statusCode() / 100 == 2 ? Future.succeededFuture(r.bodyAsJsonObject().getString("id"))
            : Future.failedFuture("sms gateway answered " + r.statusCode()));
  }
}
