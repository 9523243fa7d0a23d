package sn.wolo.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;
import sn.wolo.platform.security.KeyRing;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The right to erasure with a grace period: {@link #request} freezes the account at once (sessions
 * revoked, sign-in refused) and keeps its phone and e-mail encrypted; {@link #eraseDue}, run daily
 * (and by tests), anonymises accounts whose 30 days have passed and announces
 * {@code identity.user_erased}; every domain then erases what it holds, finding rows keyed by phone or
 * e-mail through {@link #identifiers}; those are purged 7 days after the erasure.
 */
final class Erasure {

  static final Duration GRACE = Duration.ofDays(30);
  static final Duration IDENTIFIERS_KEPT = Duration.ofDays(7);
  private static final String PURPOSE = "erasure-identifiers";
  private static final String FREEZE = """
      UPDATE identity.users SET is_active = false WHERE id = $1 AND erased_at IS NULL RETURNING phone, email""";
  private static final String INSERT = """
      INSERT INTO identity.erasure_requests (user_id, phone_ciphertext, email_ciphertext, requested_at, due_at)
      VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO NOTHING""";
  private static final String DUE = """
      SELECT user_id FROM identity.erasure_requests WHERE erased_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT 100""";
  private static final String IDENTIFIERS = """
      SELECT phone_ciphertext, email_ciphertext FROM identity.erasure_requests WHERE user_id = $1 AND identifiers_purged_at IS NULL""";
  private static final String PURGE_IDENTIFIERS = """
      UPDATE identity.erasure_requests SET phone_ciphertext = NULL, email_ciphertext = NULL, identifiers_purged_at = $1
      WHERE erased_at < $2 AND identifiers_purged_at IS NULL""";

  private final Pool pool;
  private final KeyRing keys;
  private final Clock clock;
  private final SessionStore sessions;
  private final Users users;

  Erasure(Pool pool, KeyRing keys, Clock clock, SessionStore sessions, Users users) {
    this.pool = pool;
    this.keys = keys;
    this.clock = clock;
    this.sessions = sessions;
    this.users = users;
  }

  /** {@code DELETE /v1/me}: frozen now, erased at {@code erasure_due_at}. */
  Future<JsonObject> request(UUID user) {
    OffsetDateTime now = Times.now(clock);
    OffsetDateTime due = now.plus(GRACE);
    return pool.withTransaction(tx -> tx.preparedQuery(FREEZE).execute(Tuple.of(user)).compose(rows -> {
          if (rows.size() == 0) return Future.failedFuture(DomainException.notFound("user_not_found", "No such user."));
          Row r = rows.iterator().next();
          return tx.preparedQuery(INSERT).execute(Tuple.of(user, encrypt(r.getString("phone")), encrypt(r.getString("email")), now, due))
              .compose(v -> sessions.revokeAll(tx, user))
              .compose(revoked -> Outbox.append(tx, DomainEvent.of("identity.erasure_requested", "user", user,
                  new JsonObject().put("user_id", user.toString()).put("erasure_due_at", due.toInstant().toString()), clock.instant()))
                  .map(revoked));
        }))
        .map(revoked -> {
          sessions.announceRevoked(revoked);
          return new JsonObject().put("erasure_due_at", due.toInstant().toString());
        });
  }

  /** Erases every account whose grace has passed; answers how many. */
  Future<JsonObject> eraseDue() {
    OffsetDateTime now = Times.now(clock);
    return pool.preparedQuery(DUE).execute(Tuple.of(now)).compose(rows -> {
      List<UUID> due = new ArrayList<>();
      rows.forEach(r -> due.add(r.getUUID("user_id")));
      Future<Void> chain = Future.succeededFuture();
      for (UUID id : due) chain = chain.compose(v -> erase(id).mapEmpty());
      return chain.compose(v -> pool.preparedQuery(PURGE_IDENTIFIERS).execute(Tuple.of(now, now.minus(IDENTIFIERS_KEPT))))
          .map(purged -> new JsonObject().put("erased", due.size()).put("identifiers_purged", purged.rowCount()));
    });
  }

  /** Anonymises the account now (also the undoing of a half-made sign-up) and tells every domain. */
  Future<JsonObject> erase(UUID id) {
    OffsetDateTime now = Times.now(clock);
    return pool.withTransaction(tx -> eraseIdentityRows(tx, id, now).compose(v -> users.erase(tx, id, now)).compose(found -> {
      if (!found) return Future.failedFuture(DomainException.notFound("user_not_found", "No such user."));
      return sessions.revokeAll(tx, id)
          .compose(revoked -> Outbox.append(tx, DomainEvent.of("identity.user_erased", "user", id,
              new JsonObject().put("user_id", id.toString()), clock.instant())).map(revoked));
    })).map(revoked -> {
      sessions.announceRevoked(revoked);
      return new JsonObject().put("erased", true);
    });
  }

  /** {@code {"user_id"}} → the erased person's {@code phone} and {@code email} while they are kept (7 days), else nulls. */
  Future<JsonObject> identifiers(UUID user) {
    return pool.preparedQuery(IDENTIFIERS).execute(Tuple.of(user)).map(rows -> {
      if (rows.size() == 0) return new JsonObject().put("phone", null).put("email", null);
      Row r = rows.iterator().next();
      return new JsonObject().put("phone", decrypt(r.getString("phone_ciphertext"))).put("email", decrypt(r.getString("email_ciphertext")));
    });
  }

  /** Login codes sent to the phone (before the account's phone is cleared), sessions' IP and device, reset tokens. */
  private Future<Void> eraseIdentityRows(SqlConnection tx, UUID id, OffsetDateTime now) {
    return tx.preparedQuery("DELETE FROM identity.otp_codes WHERE phone = (SELECT phone FROM identity.users WHERE id = $1)")
        .execute(Tuple.of(id))
        .compose(v -> tx.preparedQuery("UPDATE identity.erasure_requests SET erased_at = $2 WHERE user_id = $1").execute(Tuple.of(id, now)))
        .compose(v -> tx.preparedQuery("DELETE FROM identity.password_reset_tokens WHERE user_id = $1").execute(Tuple.of(id)))
        .compose(v -> tx.preparedQuery("UPDATE identity.user_sessions SET ip_address = NULL, device_info = NULL WHERE user_id = $1")
            .execute(Tuple.of(id)))
        .mapEmpty();
  }

  private String encrypt(String value) {
    return value == null ? null : keys.encrypt(PURPOSE, value);
  }

  private String decrypt(String value) {
    return value == null ? null : keys.decrypt(PURPOSE, value);
  }
}
