package sn.wolo.platform.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import sn.wolo.platform.config.WoloConfig;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Short-lived access tokens: JWTs signed with ES256 (EC P-256), {@code kid} header, claims
 * {@code sub}, {@code roles}, {@code sid}, {@code iss}, {@code iat}, {@code exp}. Verification
 * accepts only ES256 with our key: {@code alg: none}, other keys and tampered payloads fail.
 */
public final class AccessTokens {

  public static final String ISSUER = "wolo";
  private static final String ALG = "ES256";

  private final JWTAuth jwt;
  private final int ttlSeconds;
  private final String keyId;

  public AccessTokens(Vertx vertx, WoloConfig config) {
    this.keyId = config.string("jwt.key-id");
    this.ttlSeconds = config.integer("jwt.access-ttl-seconds");
    JWTAuthOptions options = new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALG).setId(keyId).setBuffer(config.string("jwt.private-key")))
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALG).setId(keyId).setBuffer(config.string("jwt.public-key")))
        .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setLeeway(5));
    this.jwt = JWTAuth.create(vertx, options);
  }

  public String issue(String userId, List<String> roles, String sessionId) {
    JsonObject claims = new JsonObject().put("roles", new JsonArray(roles)).put("sid", sessionId);
    return jwt.generateToken(claims, new JWTOptions()
        .setAlgorithm(ALG)
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setExpiresInSeconds(ttlSeconds)
        .setHeader(new JsonObject().put("kid", keyId)));
  }

  private static final java.util.regex.Pattern THREE_PARTS = java.util.regex.Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  private static final int ES256_SIGNATURE_BYTES = 64;

  /**
   * Exactly three base64url parts without padding, each in its canonical encoding, and an ES256
   * signature of exactly 64 bytes: a token with a character appended ({@code A}, {@code x},
   * {@code ==}, {@code .}) decodes to the same bytes under a lenient parser and must not pass.
   */
  static boolean canonical(String token) {
    if (token == null || token.length() > 4096 || !THREE_PARTS.matcher(token).matches()) return false;
    String[] parts = token.split("\\.");
    var decoder = java.util.Base64.getUrlDecoder();
    var encoder = java.util.Base64.getUrlEncoder().withoutPadding();
    try {
      for (int i = 0; i < 3; i++) {
        byte[] bytes = decoder.decode(parts[i]);
        if (!encoder.encodeToString(bytes).equals(parts[i])) return false;
        if (i == 2 && bytes.length != ES256_SIGNATURE_BYTES) return false;
      }
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public int ttlSeconds() {
    return ttlSeconds;
  }

  /** Verifies signature, algorithm, issuer and expiry; fails for anything else. */
  public Future<Principal> verify(String token) {
    if (!canonical(token)) return Future.failedFuture("malformed token");
    Future<io.vertx.ext.auth.User> authenticated;
    try {
      authenticated = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {   // malformed claims (e.g. "exp": null) can throw instead of failing
      return Future.failedFuture("malformed token");
    }
    return authenticated.recover(e -> Future.failedFuture("invalid token")).compose(user -> {
      // Vert.x 5 keeps the verified claims under attributes.accessToken (principal holds the raw token).
      JsonObject p = user.attributes().getJsonObject("accessToken", user.principal());
      String sub = p.getString("sub");
      String sid = p.getString("sid");
      JsonArray roles = p.getJsonArray("roles");
      if (sub == null || sid == null || roles == null || !ISSUER.equals(p.getString("iss"))
          || !(p.getValue("exp") instanceof Number)) {
        return Future.failedFuture("incomplete token");
      }
      Set<String> roleSet = new HashSet<>();
      roles.forEach(r -> roleSet.add(String.valueOf(r)));
      return Future.succeededFuture(new Principal(sub, Set.copyOf(roleSet), sid));
    });
  }
}
