package sn.wolo.notification;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import sn.wolo.testing.Await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Local fake providers (SMS gateway, WhatsApp Cloud API): check credentials, record requests, fail on demand. */
final class FakeSmsGateway {

  final List<JsonObject> received = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  /** Recipient → how many more sends to it fail (only that recipient: other tests' SMS are unaffected). */
  final java.util.Map<String, Integer> failuresFor = new java.util.concurrent.ConcurrentHashMap<>();
  /** Recipient → a gate: the gateway takes the message but answers only once the test opens the gate (a slow provider). */
  final java.util.Map<String, io.vertx.core.Promise<Void>> answerHeldFor = new java.util.concurrent.ConcurrentHashMap<>();
  final List<JsonObject> whatsapp = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final HttpServer server;

  FakeSmsGateway(Vertx vertx, String apiKey) {
    Router r = Router.router(vertx);
    r.route().handler(BodyHandler.create(false));
    r.post("/messages").handler(ctx -> {
      authorizations.add(String.valueOf(ctx.request().getHeader("Authorization")));
      if (!("Bearer " + apiKey).equals(ctx.request().getHeader("Authorization"))) {
        ctx.response().setStatusCode(401).end();
        return;
      }
      String to = ctx.body().asJsonObject().getString("to");
      if (failuresFor.getOrDefault(to, 0) > 0) {
        failuresFor.merge(to, -1, Integer::sum);
        ctx.response().setStatusCode(500).end("{\"error\":\"down\"}");
        return;
      }
      received.add(ctx.body().asJsonObject());
      JsonObject answer = new JsonObject().put("id", "sms-" + ids.incrementAndGet());
      io.vertx.core.Promise<Void> gate = answerHeldFor.get(to);
      if (gate == null) {
        ctx.json(answer);
        return;
      }
      io.vertx.core.Context here = vertx.getOrCreateContext();
      gate.future().onComplete(v -> here.runOnContext(x -> ctx.json(answer)));
    });
    r.post("/PHONE123/messages").handler(ctx -> {
      if (!"Bearer wa-token".equals(ctx.request().getHeader("Authorization"))) {
        ctx.response().setStatusCode(401).end();
        return;
      }
      whatsapp.add(ctx.body().asJsonObject());
      ctx.json(new JsonObject().put("messaging_product", "whatsapp")
          .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("id", "wamid." + ids.incrementAndGet()))));
    });
    server = Await.result(vertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1"));
  }

  int port() {
    return server.actualPort();
  }
}
