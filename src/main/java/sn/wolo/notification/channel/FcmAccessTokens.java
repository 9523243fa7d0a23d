package sn.wolo.notification.channel;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;

/**
 * OAuth 2.0 access tokens for FCM HTTP v1, as a Google service account gets them: a JWT signed with
 * the account's RSA key (RS256, scope firebase.messaging) exchanged at the token URI, cached until a
 * minute before it expires. Signing runs off the event loop.
 */
final class FcmAccessTokens {

  private static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

  private final Vertx vertx;
  private final WebClient client;
  private final String clientEmail;
  private final PrivateKey key;
  private final String tokenUri;
  private final Clock clock;
  private String token;
  private long expiresAtMillis;

  FcmAccessTokens(Vertx vertx, WebClient client, String clientEmail, String privateKeyPem, String tokenUri, Clock clock) {
    this.vertx = vertx;
    this.client = client;
    this.clientEmail = clientEmail;
    this.key = privateKey(privateKeyPem);
    this.tokenUri = tokenUri;
    this.clock = clock;
  }

  Future<String> current() {
    if (token != null && clock.millis() < expiresAtMillis - 60_000) return Future.succeededFuture(token);
    return vertx.executeBlocking(this::assertion, false)
        .compose(jwt -> client.postAbs(tokenUri).timeout(10_000).sendForm(MultiMap.caseInsensitiveMultiMap()
            .add("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer").add("assertion", jwt)))
        .compose(r -> {
          if (r.statusCode() != 200) return Future.failedFuture("FCM token endpoint answered " + r.statusCode());
          JsonObject body = r.bodyAsJsonObject();
          token = body.getString("access_token");
          expiresAtMillis = clock.millis() + body.getLong("expires_in", 3600L) * 1000;
          return Future.succeededFuture(token);
        });
  }

  /** Forget the cached token (FCM refused it): the next send asks for a new one. */
  void invalidate() {
    token = null;
  }

  private String assertion() throws Exception {
    long now = clock.millis() / 1000;
    String header = b64(new JsonObject().put("alg", "RS256").put("typ", "JWT").encode());
    String claims = b64(new JsonObject().put("iss", clientEmail).put("scope", SCOPE).put("aud", tokenUri)
        .put("iat", now).put("exp", now + 3600).encode());
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initSign(key);
    rs256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
    return header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static PrivateKey privateKey(String pem) {
    try {
      String base64 = pem.replace("\\n", "\n").replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (Exception e) {
      throw new IllegalArgumentException("WOLO_NOTIFICATION_PUSH_PRIVATE_KEY is not a PKCS#8 RSA private key (PEM)");
    }
  }
}
