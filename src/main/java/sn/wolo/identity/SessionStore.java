package sn.wolo.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.db.Outcome;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.security.AccessTokens;
import sn.wolo.platform.security.RevokedSessions;
import sn.wolo.platform.security.Tokens;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Sessions and their tokens. A login creates a session (its id is the access token's {@code sid});
 * each refresh token is a row of {@code identity.user_sessions} holding only the token's SHA-256.
 * Refreshing rotates: the old row points to its replacement. Presenting a rotated or revoked token
 * again is treated as theft and revokes the whole session.
 */
final class SessionStore {

  static final String REVOKED_ADDRESS = Addresses.request(IdentityVerticle.DOMAIN, "session-revoked");

  private static final String INSERT = """
      INSERT INTO identity.user_sessions (id, session_id, user_id, token_hash, device_info, ip_address, user_agent,
                                          expires_at, created_at, last_used_at)
      VALUES ($1, $2, $3, $4, $5, $6::text::inet, $7, $8, $9, $9)""";
  private static final String FIND_FOR_UPDATE = """
      SELECT s.id, s.session_id, s.user_id, s.expires_at, s.is_revoked, s.replaced_by_id, s.device_info,
             u.is_active, u.roles
      FROM identity.user_sessions s JOIN identity.users u ON u.id = s.user_id
      WHERE s.token_hash = $1 FOR UPDATE OF s""";
  private static final String MARK_ROTATED = "UPDATE identity.user_sessions SET replaced_by_id = $2, last_used_at = $3 WHERE id = $1";
  private static final String REVOKE_SESSION = """
      UPDATE identity.user_sessions SET is_revoked = true, revoked_at = $2
      WHERE session_id = $1 AND NOT is_revoked""";
  private static final String REVOKE_USER = """
      UPDATE identity.user_sessions SET is_revoked = true, revoked_at = $2
      WHERE user_id = $1 AND NOT is_revoked RETURNING session_id""";
  private static final String ACTIVE = """
      SELECT s.session_id, min(first.created_at) AS started_at, s.last_used_at, host(s.ip_address) AS ip,
             s.user_agent, s.device_info
      FROM identity.user_sessions s JOIN identity.user_sessions first ON first.session_id = s.session_id
      WHERE s.user_id = $1 AND NOT s.is_revoked AND s.replaced_by_id IS NULL AND s.expires_at > $2
      GROUP BY s.session_id, s.last_used_at, s.ip_address, s.user_agent, s.device_info
      ORDER BY s.last_used_at DESC""";
  private static final String RECENTLY_REVOKED = """
      SELECT DISTINCT session_id, revoked_at FROM identity.user_sessions WHERE revoked_at > $1""";

  private final Vertx vertx;
  private final Pool pool;
  private final AccessTokens accessTokens;
  private final Clock clock;
  private final int refreshTtlDays;

  SessionStore(Vertx vertx, Pool pool, AccessTokens accessTokens, Clock clock, int refreshTtlDays) {
    this.vertx = vertx;
    this.pool = pool;
    this.accessTokens = accessTokens;
    this.clock = clock;
    this.refreshTtlDays = refreshTtlDays;
  }

  /** Opens a session inside {@code tx} and returns the token response. */
  Future<JsonObject> open(SqlConnection tx, UUID userId, List<String> roles, Client client) {
    UUID sessionId = UUID.randomUUID();
    return insertToken(tx, sessionId, sessionId, userId, client)
        .map(refresh -> tokenResponse(userId, roles, sessionId, refresh));
  }

  /** Rotates a refresh token. Reuse of a rotated token revokes the session (and still fails). */
  Future<JsonObject> refresh(String refreshToken, Client client) {
    OffsetDateTime now = Times.now(clock);
    List<String> revoked = new ArrayList<>();
    return pool.withTransaction(tx -> tx.preparedQuery(FIND_FOR_UPDATE).execute(Tuple.of(Tokens.sha256(refreshToken)))
        .compose(rows -> {
          if (rows.size() == 0) return Future.succeededFuture(Outcome.fail(invalid()));
          Row r = rows.iterator().next();
          UUID sessionId = r.getUUID("session_id");
          if (r.getBoolean("is_revoked") || r.getUUID("replaced_by_id") != null) {
            revoked.add(sessionId.toString());
            return tx.preparedQuery(REVOKE_SESSION).execute(Tuple.of(sessionId, now))
                .map(v -> Outcome.fail(new DomainException(ErrorKind.UNAUTHENTICATED, "refresh_token_reused",
                    "This refresh token was already used; the session has been signed out.")));
          }
          if (!r.getOffsetDateTime("expires_at").isAfter(now)) return Future.succeededFuture(Outcome.fail(invalid()));
          if (!r.getBoolean("is_active")) {
            return Future.succeededFuture(Outcome.fail(new DomainException(ErrorKind.FORBIDDEN, "account_suspended", "This account is suspended.")));
          }
          UUID newId = UUID.randomUUID();
          UUID userId = r.getUUID("user_id");
          List<String> roles = List.of(r.getArrayOfStrings("roles"));
          return insertToken(tx, newId, sessionId, userId, client)
              .compose(newRefresh -> tx.preparedQuery(MARK_ROTATED).execute(Tuple.of(r.getUUID("id"), newId, now))
                  .map(v -> Outcome.ok(tokenResponse(userId, roles, sessionId, newRefresh))));
        }))
        .compose(outcome -> {
          announceRevoked(revoked);
          return outcome.toFuture();
        });
  }

  Future<Void> revokeSession(String sessionId) {
    return pool.preparedQuery(REVOKE_SESSION).execute(Tuple.of(UUID.fromString(sessionId), Times.now(clock)))
        .map(v -> {
          announceRevoked(List.of(sessionId));
          return null;
        });
  }

  /** Revokes every session of a user inside {@code tx}; call {@link #announceRevoked} after the commit. */
  Future<List<String>> revokeAll(SqlConnection tx, UUID userId) {
    return tx.preparedQuery(REVOKE_USER).execute(Tuple.of(userId, Times.now(clock))).map(rows -> {
      java.util.Set<String> ids = new java.util.LinkedHashSet<>();
      rows.forEach(r -> ids.add(r.getUUID("session_id").toString()));
      return List.copyOf(ids);
    });
  }

  Future<JsonArray> active(UUID userId, String currentSessionId) {
    return pool.preparedQuery(ACTIVE).execute(Tuple.of(userId, Times.now(clock))).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        String sid = r.getUUID("session_id").toString();
        out.add(new JsonObject().put("session_id", sid).put("current", sid.equals(currentSessionId))
            .put("started_at", r.getOffsetDateTime("started_at").toString())
            .put("last_used_at", r.getOffsetDateTime("last_used_at").toString())
            .put("ip_address", r.getString("ip")).put("user_agent", r.getString("user_agent"))
            .put("device_info", r.getValue("device_info")));
      }
      return out;
    });
  }

  /**
   * Makes revoked access tokens stop working at once: on this JVM, on the others of this event bus,
   * and on every other server process through PostgreSQL ({@code NOTIFY wolo_session_revoked}, see
   * {@link RevocationListener}); a periodic reload of recent revocations heals any missed signal.
   */
  void announceRevoked(List<String> sessionIds) {
    if (sessionIds.isEmpty()) return;
    long at = clock.millis();
    sessionIds.forEach(sid -> RevokedSessions.add(vertx, sid, at));
    JsonObject signal = new JsonObject().put("session_ids", new JsonArray(sessionIds)).put("at", at);
    vertx.eventBus().publish(REVOKED_ADDRESS, signal);
    pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(RevocationListener.CHANNEL, signal.encode()))
        .onFailure(e -> org.slf4j.LoggerFactory.getLogger(SessionStore.class)
            .warn("revocation not signalled to other processes (their periodic reload will catch it): {}", e.toString()));
  }

  /** At start: sessions revoked within the access-token lifetime may still have live access tokens. */
  Future<Void> loadRecentlyRevoked() {
    OffsetDateTime since = Times.now(clock).minusSeconds(accessTokens.ttlSeconds());
    return pool.preparedQuery(RECENTLY_REVOKED).execute(Tuple.of(since)).map(rows -> {
      rows.forEach(r -> RevokedSessions.add(vertx, r.getUUID("session_id").toString(),
          r.getOffsetDateTime("revoked_at").toInstant().toEpochMilli()));
      return null;
    });
  }

  private Future<String> insertToken(SqlConnection tx, UUID id, UUID sessionId, UUID userId, Client client) {
    String refresh = Tokens.random256();
    OffsetDateTime now = Times.now(clock);
    return tx.preparedQuery(INSERT).execute(Tuple.from(new Object[] {id, sessionId, userId, Tokens.sha256(refresh),
            client.device(), client.ip(), client.userAgent(), now.plusDays(refreshTtlDays), now}))
        .map(refresh);
  }

  private JsonObject tokenResponse(UUID userId, List<String> roles, UUID sessionId, String refresh) {
    return new JsonObject()
        .put("access_token", accessTokens.issue(userId.toString(), roles, sessionId.toString()))
        .put("token_type", "Bearer")
        .put("expires_in", accessTokens.ttlSeconds())
        .put("refresh_token", refresh)
        .put("refresh_expires_in", refreshTtlDays * 86_400)
        .put("session_id", sessionId.toString())
        .put("user_id", userId.toString())
        .put("roles", new JsonArray(roles));
  }

  private static DomainException invalid() {
    return new DomainException(ErrorKind.UNAUTHENTICATED, "invalid_refresh_token", "The refresh token is invalid or expired.");
  }
}
