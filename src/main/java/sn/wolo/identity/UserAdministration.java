package sn.wolo.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.audit.AuditContext;
import sn.wolo.platform.audit.AuditRows;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;
import sn.wolo.platform.security.Principal;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Suspension, reactivation and role changes by admins. Each one revokes every session of the user
 * in the same transaction (so a suspended or demoted user's access token stops working at once on
 * every instance, through the revocation broadcast) and writes an event the audit trail records.
 */
final class UserAdministration {

  static final Set<String> ROLES = Set.of(Principal.USER, Principal.ADMIN, Principal.SUPER_ADMIN, Principal.PARTNER);

  // An account waiting for its erasure stays frozen: an admin cannot reactivate it.
  private static final String SET_ACTIVE = """
      UPDATE identity.users SET is_active = $2 WHERE id = $1 AND (phone IS NOT NULL OR email IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM identity.erasure_requests e WHERE e.user_id = $1) RETURNING roles""";
  private static final String LOCK_SUPER_ADMINS = "SELECT id FROM identity.users WHERE 'super_admin' = ANY(roles) AND is_active FOR UPDATE";
  private static final String CURRENT_ROLES = "SELECT roles FROM identity.users WHERE id = $1 FOR UPDATE";
  private static final String SET_ROLES = "UPDATE identity.users SET roles = $2 WHERE id = $1";

  private final Pool pool;
  private final SessionStore sessions;
  private final Clock clock;

  UserAdministration(Pool pool, SessionStore sessions, Clock clock) {
    this.pool = pool;
    this.sessions = sessions;
    this.clock = clock;
  }

  /** {@code {"user_id","admin_id","active","reason"?}} → {@code {"user_id","is_active","revoked_sessions"}}. */
  Future<JsonObject> setActive(JsonObject req) {
    UUID user = UUID.fromString(req.getString("user_id"));
    UUID admin = UUID.fromString(req.getString("admin_id"));
    boolean active = req.getBoolean("active");
    if (user.equals(admin) && !active) throw DomainException.invalid("cannot_suspend_self", "You cannot suspend yourself.");
    return pool.withTransaction(tx -> tx.preparedQuery(SET_ACTIVE).execute(Tuple.of(user, active)).compose(rows -> {
          if (rows.size() == 0) return Future.failedFuture(DomainException.notFound("user_not_found", "No such user."));
          JsonObject change = new JsonObject().put("user_id", user.toString()).put("by", admin.toString()).put("reason", req.getString("reason"));
          return AuditRows.append(tx, AuditContext.from(req), AuditRows.Entry.of(active ? "user.reactivated" : "user.suspended", "user", user)
                  .change(new JsonObject().put("is_active", !active), new JsonObject().put("is_active", active)).because(req.getString("reason")),
                  clock.instant())
              .compose(v -> revokeAndRecord(tx, user, active ? "identity.user_reactivated" : "identity.user_suspended", change));
        }))
        .onSuccess(sessions::announceRevoked)   // after the commit: every instance refuses the tokens at once
        .map(revoked -> new JsonObject().put("user_id", user.toString()).put("is_active", active).put("revoked_sessions", revoked.size()));
  }

  /** {@code {"user_id","admin_id","roles":[…]}} → the new roles. The last active super_admin keeps the role. */
  Future<JsonObject> setRoles(JsonObject req) {
    UUID user = UUID.fromString(req.getString("user_id"));
    UUID admin = UUID.fromString(req.getString("admin_id"));
    List<String> roles = roles(req.getValue("roles"));
    return pool.withTransaction(tx -> tx.query(LOCK_SUPER_ADMINS).execute().compose(supers ->
            tx.preparedQuery(CURRENT_ROLES).execute(Tuple.of(user)).compose(current -> {
              if (current.size() == 0) return Future.failedFuture(DomainException.notFound("user_not_found", "No such user."));
              List<String> before = List.of(current.iterator().next().getArrayOfStrings("roles"));
              boolean losesSuper = before.contains(Principal.SUPER_ADMIN) && !roles.contains(Principal.SUPER_ADMIN);
              if (losesSuper && supers.size() <= 1) {
                return Future.failedFuture(DomainException.conflict("last_super_admin", "The last super_admin cannot lose the role."));
              }
              return tx.preparedQuery(SET_ROLES).execute(Tuple.of(user, (Object) roles.toArray(String[]::new)))
                  .compose(v -> AuditRows.append(tx, AuditContext.from(req), AuditRows.Entry.of("user.roles_changed", "user", user)
                      .change(new JsonObject().put("roles", new JsonArray(before)), new JsonObject().put("roles", new JsonArray(roles))),
                      clock.instant()))
                  .compose(v -> revokeAndRecord(tx, user, "identity.roles_changed", new JsonObject().put("user_id", user.toString())
                      .put("by", admin.toString()).put("old_roles", new JsonArray(before)).put("new_roles", new JsonArray(roles))));
            })))
        .onSuccess(sessions::announceRevoked)
        .map(revoked -> new JsonObject().put("user_id", user.toString()).put("roles", new JsonArray(roles))
            .put("revoked_sessions", revoked.size()));
  }

  private Future<List<String>> revokeAndRecord(SqlConnection tx, UUID user, String eventType, JsonObject payload) {
    return sessions.revokeAll(tx, user).compose(revoked -> Outbox.append(tx, DomainEvent.of(eventType, "user", user, payload, clock.instant()))
        .map(revoked));
  }

  private static List<String> roles(Object value) {
    if (!(value instanceof JsonArray a) || a.isEmpty()) throw DomainException.invalid("invalid_roles", "roles is a non-empty list of " + ROLES + ".");
    List<String> out = new java.util.ArrayList<>();
    for (Object r : a) {
      if (!(r instanceof String s) || !ROLES.contains(s)) throw DomainException.invalid("invalid_roles", "roles are among " + ROLES + ".");
      if (!out.contains(s)) out.add(s);
    }
    if (!out.contains(Principal.USER)) out.add(0, Principal.USER);
    return out;
  }
}
