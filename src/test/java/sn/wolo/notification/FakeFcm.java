package sn.wolo.notification;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import sn.wolo.testing.Await;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local Firebase Cloud Messaging that behaves like Google's: {@code POST /token} takes a service
 * account's RS256 JWT assertion (signature, issuer, scope and audience checked) and answers an access
 * token; {@code POST /v1/projects/{p}/messages:send} needs that bearer, answers the message name, and
 * 404 UNREGISTERED for tokens it does not know (here: those starting with "dead").
 */
final class FakeFcm {

  final List<JsonObject> messages = new CopyOnWriteArrayList<>();
  final AtomicInteger tokenRequests = new AtomicInteger();
  private final Set<String> issued = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ids = new AtomicInteger();
  private final HttpServer server;

  FakeFcm(Vertx vertx, PublicKey serviceAccountKey, String clientEmail, String project) {
    Router r = Router.router(vertx);
    r.route().handler(BodyHandler.create(false));
    r.post("/token").handler(ctx -> {
      tokenRequests.incrementAndGet();
      String assertion = ctx.request().getFormAttribute("assertion");
      if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(ctx.request().getFormAttribute("grant_type"))
          || assertion == null || !valid(assertion, serviceAccountKey, clientEmail, url() + "/token")) {
        ctx.response().setStatusCode(400).end("{\"error\":\"invalid_grant\"}");
        return;
      }
      String token = "ya29.fake-" + ids.incrementAndGet();
      issued.add(token);
      ctx.json(new JsonObject().put("access_token", token).put("expires_in", 3599).put("token_type", "Bearer"));
    });
    r.post("/v1/projects/" + project + "/messages:send").handler(ctx -> {
      String auth = String.valueOf(ctx.request().getHeader("Authorization"));
      if (!auth.startsWith("Bearer ") || !issued.contains(auth.substring(7))) {
        ctx.response().setStatusCode(401).end("{\"error\":{\"status\":\"UNAUTHENTICATED\"}}");
        return;
      }
      JsonObject message = ctx.body().asJsonObject().getJsonObject("message");
      if (message.getString("token").startsWith("dead")) {
        ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json").end(new JsonObject().put("error", new JsonObject()
            .put("code", 404).put("status", "NOT_FOUND").put("details", new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("errorCode", "UNREGISTERED")))).encode());
        return;
      }
      messages.add(message);
      ctx.json(new JsonObject().put("name", "projects/" + project + "/messages/" + ids.incrementAndGet()));
    });
    server = Await.result(vertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1"));
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private static boolean valid(String jwt, PublicKey key, String clientEmail, String audience) {
    try {
      String[] parts = jwt.split("\\.");
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initVerify(key);
      rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) return false;
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      return clientEmail.equals(claims.getString("iss")) && audience.equals(claims.getString("aud"))
          && "https://www.googleapis.com/auth/firebase.messaging".equals(claims.getString("scope"))
          && claims.getLong("exp") > claims.getLong("iat") && claims.getLong("exp") - claims.getLong("iat") <= 3600;
    } catch (Exception e) {
      return false;
    }
  }
}
