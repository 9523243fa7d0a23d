package sn.wolo.admin.sessions;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.identity.api.Accounts;
import sn.wolo.platform.Times;
import sn.wolo.platform.audit.AuditContext;
import sn.wolo.platform.audit.AuditRows;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.db.Outcome;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.security.Principal;
import sn.wolo.platform.security.Tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Admin console sessions: a step-up from an access session (a fresh OTP or the password), with an
 * opaque token stored hashed, an idle timeout and an absolute lifetime. Every admin request is
 * checked here and audited in the same transaction; a change of IP or user agent mid-session ends
 * it as suspicious. Sessions end when their access session is signed out (checked by the gate),
 * when the user is suspended, loses roles or is erased, on logout, or by a super_admin.
 */
public final class AdminSessions {

  private static final List<String> ADMIN_ROLES = List.of(Principal.SUPER_ADMIN, Principal.ADMIN, Principal.PARTNER);
  private static final String INSERT = """
      INSERT INTO admin.admin_sessions (user_id, session_token_hash, ip_address, user_agent, admin_level, permissions_granted,
                                        created_at, last_activity_at, expires_at, access_session_id)
      VALUES ($1, $2, CAST(COALESCE($3, '0.0.0.0') AS inet), $4, $5, $6, $7, $7, $8, $9) RETURNING id""";
  private static final String LOCK = """
      SELECT id, user_id, permissions_granted, last_activity_at, expires_at, terminated_at, access_session_id,
             ip_address = CAST(COALESCE($2, '0.0.0.0') AS inet) AS same_ip, user_agent IS NOT DISTINCT FROM $3 AS same_agent
      FROM admin.admin_sessions WHERE session_token_hash = $1 FOR UPDATE""";
  private static final String TOUCH = "UPDATE admin.admin_sessions SET last_activity_at = $2 WHERE id = $1";
  private static final String END = """
      UPDATE admin.admin_sessions SET terminated_at = $2, termination_reason = $3, is_suspicious = $4, security_flags = $5
      WHERE id = $1 AND terminated_at IS NULL RETURNING user_id""";
  private static final String END_ALL_OF_USER = """
      UPDATE admin.admin_sessions SET terminated_at = $2, termination_reason = 'revoked'
      WHERE user_id = $1 AND terminated_at IS NULL RETURNING id""";
  private static final String ACTIVE = """
      SELECT id, user_id, host(ip_address) AS ip, user_agent, admin_level, created_at, last_activity_at, expires_at
      FROM admin.admin_sessions WHERE terminated_at IS NULL AND expires_at > $1 AND last_activity_at > $2
        AND ($3::uuid IS NULL OR user_id = $3) ORDER BY created_at DESC LIMIT 200""";

  private final Vertx vertx;
  private final Accounts accounts;
  private final Pool pool;
  private final Clock clock;
  private final Duration idle;
  private final Duration absolute;

  public AdminSessions(Vertx vertx, Pool pool, Clock clock, Duration idle, Duration absolute) {
    this.vertx = vertx;
    this.accounts = TypedBus.proxy(vertx, Accounts.class);
    this.pool = pool;
    this.clock = clock;
    this.idle = idle;
    this.absolute = absolute;
  }

  /** {@code {"user_id","session_id","ip","user_agent","code"|"password", audit}} → the admin token (shown once). */
  public Future<JsonObject> open(JsonObject req) {
    UUID user = UUID.fromString(req.getString("user_id"));
    return accounts.stepUp(user, req.getString("code"), req.getString("password")).compose(confirmed -> {
      List<String> roles = confirmed.roles();
      String level = level(roles);
      if (level == null) return Future.failedFuture(DomainException.forbidden("The admin console is for admins and partners."));
      String token = "wadm_" + Tokens.random256();
      OffsetDateTime now = Times.now(clock);
      OffsetDateTime expires = now.plus(absolute);
      AuditContext who = AuditContext.from(req);
      return pool.withTransaction(tx -> tx.preparedQuery(INSERT).execute(Tuple.from(new Object[] {user, Tokens.sha256(token),
              req.getString("ip"), req.getString("user_agent"), level, roles.toArray(String[]::new), now, expires,
              UUID.fromString(req.getString("session_id"))}))
          .compose(rows -> {
            UUID id = rows.iterator().next().getUUID("id");
            return AuditRows.append(tx, who, AuditRows.Entry.of("admin_session.opened", "admin_session", id)
                    .change(null, new JsonObject().put("admin_level", level).put("roles", new JsonArray(roles))), clock.instant())
                .map(v -> new JsonObject().put("admin_token", token).put("admin_session_id", id.toString()).put("admin_level", level)
                    .put("expires_at", expires.toInstant().toString()).put("idle_timeout_seconds", idle.toSeconds()));
          }));
    });
  }

  /** The gate's check of one admin request, audited; ends the session when it timed out or moved. */
  public Future<JsonObject> check(JsonObject req) {
    OffsetDateTime now = Times.now(clock);
    return pool.withTransaction(tx -> tx.preparedQuery(LOCK)
            .execute(Tuple.of(req.getString("token_hash"), req.getString("ip"), req.getString("user_agent"))).compose(rows -> {
              if (rows.size() == 0 || rows.iterator().next().getOffsetDateTime("terminated_at") != null) {
                return Future.succeededFuture(Outcome.fail(invalid()));
              }
              Row s = rows.iterator().next();
              UUID id = s.getUUID("id");
              if (!now.isBefore(s.getOffsetDateTime("expires_at")) || !now.isBefore(s.getOffsetDateTime("last_activity_at").plus(idle))) {
                return end(tx, id, "timeout", false, null)
                    .map(v -> Outcome.fail(new DomainException(ErrorKind.UNAUTHENTICATED, "admin_session_expired", "This admin session has timed out; open a new one.")));
              }
              if (!s.getBoolean("same_ip") || !s.getBoolean("same_agent")) {
                JsonObject flags = new JsonObject().put("ip_changed", !s.getBoolean("same_ip")).put("user_agent_changed", !s.getBoolean("same_agent"));
                return end(tx, id, "suspicious", true, flags)
                    .compose(v -> AuditRows.append(tx, context(s, req), AuditRows.Entry.of("admin_session.suspicious", "admin_session", id)
                        .change(null, flags).because("IP address or user agent changed mid-session"), clock.instant()))
                    .map(v -> Outcome.fail(new DomainException(ErrorKind.UNAUTHENTICATED, "admin_session_suspicious",
                        "This admin session was used from another device or network and has been ended.")));
              }
              return tx.preparedQuery(TOUCH).execute(Tuple.of(id, now))
                  .compose(v -> AuditRows.append(tx, context(s, req), AuditRows.Entry.of("admin.request", "admin_route", null)
                      .with(new JsonObject().put("method", req.getString("method")).put("route", req.getString("route"))
                          .put("admin_session_id", id.toString())), clock.instant()))
                  .map(v -> Outcome.ok(new JsonObject().put("user_id", s.getUUID("user_id").toString())
                      .put("roles", new JsonArray(List.of(s.getArrayOfStrings("permissions_granted"))))
                      .put("session_id", s.getUUID("access_session_id").toString()).put("admin_session_id", id.toString())));
            }))
        .compose(Outcome::toFuture);
  }

  /** {@code {"admin_session_id","user_id","super_admin", audit}}: a user ends their own sessions; a super_admin any. */
  public Future<JsonObject> end(JsonObject req) {
    UUID id = UUID.fromString(req.getString("admin_session_id"));
    UUID caller = UUID.fromString(req.getString("user_id"));
    boolean superAdmin = req.getBoolean("super_admin", false);
    OffsetDateTime now = Times.now(clock);
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT user_id FROM admin.admin_sessions WHERE id = $1 AND terminated_at IS NULL FOR UPDATE")
        .execute(Tuple.of(id)).compose(rows -> {
          if (rows.size() == 0 || !(superAdmin || rows.iterator().next().getUUID("user_id").equals(caller))) {
            return Future.failedFuture(DomainException.notFound("admin_session_not_found", "No such active admin session."));
          }
          String reason = rows.iterator().next().getUUID("user_id").equals(caller) ? "logout" : "revoked";
          return end(tx, id, reason, false, null)
              .compose(v -> AuditRows.append(tx, AuditContext.from(req), AuditRows.Entry.of("admin_session.ended", "admin_session", id)
                  .because(reason), clock.instant()))
              .map(v -> new JsonObject().put("admin_session_id", id.toString()).put("ended", true));
        }));
  }

  /** Active sessions: the caller's, or everyone's for a super_admin ({@code {"user_id"?}}). */
  public Future<JsonObject> active(UUID userOrNull) {
    OffsetDateTime now = Times.now(clock);
    return pool.preparedQuery(ACTIVE).execute(Tuple.of(now, now.minus(idle), userOrNull)).map(rows -> {
      JsonArray items = new JsonArray();
      rows.forEach(r -> items.add(new JsonObject().put("id", r.getUUID("id").toString()).put("user_id", r.getUUID("user_id").toString())
          .put("ip", r.getString("ip")).put("user_agent", r.getString("user_agent")).put("admin_level", r.getString("admin_level"))
          .put("created_at", r.getOffsetDateTime("created_at").toInstant().toString())
          .put("last_activity_at", r.getOffsetDateTime("last_activity_at").toInstant().toString())
          .put("expires_at", r.getOffsetDateTime("expires_at").toInstant().toString())));
      return new JsonObject().put("items", items);
    });
  }

  /** Every open session of {@code user} ends (suspension, role change, erasure), in the consumer's transaction. */
  public Future<Void> endAllOf(SqlConnection tx, UUID user) {
    return tx.preparedQuery(END_ALL_OF_USER).execute(Tuple.of(user, Times.now(clock))).mapEmpty();
  }

  private Future<Void> end(SqlConnection tx, UUID id, String reason, boolean suspicious, JsonObject flags) {
    return tx.preparedQuery(END).execute(Tuple.of(id, Times.now(clock), reason, suspicious, flags)).mapEmpty();
  }

  private static AuditContext context(Row session, JsonObject req) {
    return new AuditContext(session.getUUID("user_id"), req.getString("ip"), req.getString("user_agent"), req.getString("request_id"));
  }

  private static String level(List<String> roles) {
    for (String r : ADMIN_ROLES) {
      if (roles.contains(r)) return switch (r) {
        case Principal.SUPER_ADMIN -> "super";
        case Principal.ADMIN -> "regular";
        default -> "partner";
      };
    }
    return null;
  }

  private static DomainException invalid() {
    return new DomainException(ErrorKind.UNAUTHENTICATED, "admin_session_invalid", "This admin session token is invalid or has ended.");
  }
}
