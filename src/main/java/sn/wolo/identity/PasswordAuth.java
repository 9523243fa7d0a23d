package sn.wolo.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.notification.api.Notifications;
import sn.wolo.notification.api.OutgoingMessage;
import sn.wolo.platform.Times;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;
import sn.wolo.platform.security.PasswordHasher;
import sn.wolo.platform.security.Tokens;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Email and password accounts: register, login, forgotten password. Argon2id runs on worker threads.
 * Unknown email and wrong password give the same answer in the same time.
 */
final class PasswordAuth {

  private static final Logger log = LoggerFactory.getLogger(PasswordAuth.class);
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");
  private static final int RESET_MINUTES = 30;

  private static final String INSERT_RESET = """
      INSERT INTO identity.password_reset_tokens (user_id, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4)""";
  private static final String CLAIM_RESET = """
      UPDATE identity.password_reset_tokens SET used_at = $2
      WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id""";

  private final Vertx vertx;
  private final Notifications notifications;
  private final Pool pool;
  private final Clock clock;
  private final Users users;
  private final SessionStore sessions;

  PasswordAuth(Vertx vertx, Pool pool, Clock clock, Users users, SessionStore sessions) {
    this.vertx = vertx;
    this.notifications = TypedBus.proxy(vertx, Notifications.class);
    this.pool = pool;
    this.clock = clock;
    this.users = users;
    this.sessions = sessions;
  }

  /** {@code {"email","password","marketing_consent"?, client…}} → tokens (201). */
  Future<JsonObject> register(JsonObject req) {
    String email = normaliseEmail(req.getString("email"));
    String password = req.getString("password");
    PasswordPolicy.check(password, email);
    ReferralCodes.normalised(req.getValue("referral_code"));   // a malformed code is a 400 before anything is written
    OffsetDateTime now = Times.now(clock);
    OffsetDateTime consent = Boolean.TRUE.equals(req.getValue("marketing_consent")) ? now : null;
    return hashOffLoop(password).compose(hash -> pool.withTransaction(tx -> users.insertWithEmail(tx, email, hash, consent, now)
        .compose(created -> {
          if (created.isEmpty()) return Future.failedFuture(DomainException.conflict("email_taken", "An account already uses this email."));
          Users.User user = created.get();
          return Outbox.append(tx, DomainEvent.of("identity.user_signed_up", "user", user.id(),
                  new JsonObject().put("user_id", user.id().toString()).put("method", "email")
                      .put("referral_code", ReferralCodes.normalised(req.getValue("referral_code"))), clock.instant()))
              .compose(v -> sessions.open(tx, user.id(), user.roles(), Client.from(req)));
        })));
  }

  /** {@code {"email","password", client…}} → tokens. */
  Future<JsonObject> login(JsonObject req) {
    String email = req.getString("email") == null ? "" : req.getString("email").trim().toLowerCase(Locale.ROOT);
    String password = req.getString("password") == null ? "" : req.getString("password");
    OffsetDateTime now = Times.now(clock);
    return users.byEmail(pool, email).compose(found -> {
      String hash = found.map(Users.User::passwordHash).orElse(null);
      // Verify even when there is no account, against a dummy hash: same work, same time.
      return vertx.executeBlocking(() -> PasswordHasher.verify(hash == null ? PasswordHasher.DUMMY : hash, password), false)
          .compose(ok -> {
            if (!ok || hash == null) {
              return Future.failedFuture(new DomainException(ErrorKind.UNAUTHENTICATED, "invalid_credentials", "Wrong email or password."));
            }
            Users.User user = found.get();
            if (!user.active()) return Future.failedFuture(new DomainException(ErrorKind.FORBIDDEN, "account_suspended", "This account is suspended."));
            return pool.withTransaction(tx -> users.touchLogin(tx, user.id(), now)
                .compose(v -> sessions.open(tx, user.id(), user.roles(), Client.from(req))));
          });
    });
  }

  /** {@code {"email"}} → always {@code {}}: whether the account exists is not revealed. */
  Future<JsonObject> forgot(JsonObject req) {
    String email = req.getString("email") == null ? "" : req.getString("email").trim().toLowerCase(Locale.ROOT);
    OffsetDateTime now = Times.now(clock);
    return users.byEmail(pool, email).compose(found -> {
      if (found.isEmpty() || !found.get().active()) return Future.succeededFuture(new JsonObject());
      String token = Tokens.random256();
      return pool.preparedQuery(INSERT_RESET)
          .execute(Tuple.of(found.get().id(), Tokens.sha256(token), now.plusMinutes(RESET_MINUTES), now))
          .compose(v -> notifications.send(new OutgoingMessage("password_reset", "email", email, found.get().id(),
              OutgoingMessage.data("token", token, "minutes", RESET_MINUTES), null)).map(new JsonObject()))
          .recover(e -> {
            log.warn("password reset mail not sent: {}", e.getMessage());
            return Future.succeededFuture(new JsonObject());
          })
          .map(v -> new JsonObject());
    });
  }

  /** {@code {"token","new_password"}}: single use; signs out every session of the account. */
  Future<JsonObject> reset(JsonObject req) {
    String token = req.getString("token");
    String password = req.getString("new_password");
    if (token == null || token.isBlank()) throw DomainException.invalid("invalid_reset_token", "The reset token is required.");
    PasswordPolicy.check(password, null);
    OffsetDateTime now = Times.now(clock);
    return hashOffLoop(password).compose(hash -> pool.withTransaction(tx -> tx.preparedQuery(CLAIM_RESET)
            .execute(Tuple.of(Tokens.sha256(token), now))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.<List<String>>failedFuture(new DomainException(ErrorKind.INVALID, "invalid_reset_token",
                    "This reset link is invalid, expired or already used."));
              }
              UUID userId = rows.iterator().next().getUUID("user_id");
              return users.setPassword(tx, userId, hash).compose(v -> sessions.revokeAll(tx, userId));
            })))
        .map(revoked -> {
          sessions.announceRevoked(revoked);
          return new JsonObject();
        });
  }

  private Future<String> hashOffLoop(String password) {
    return vertx.executeBlocking(() -> PasswordHasher.hash(password), false);
  }

  static String normaliseEmail(String raw) {
    String email = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
    if (email.length() > 255 || !EMAIL.matcher(email).matches()) {
      throw DomainException.invalid("invalid_email", "A valid email address is required.");
    }
    return email;
  }

}
