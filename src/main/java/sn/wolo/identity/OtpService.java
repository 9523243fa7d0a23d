package sn.wolo.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.notification.api.Notifications;
import sn.wolo.notification.api.OutgoingMessage;
import sn.wolo.platform.Times;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.db.Outcome;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;
import sn.wolo.platform.phone.PhoneNumbers;
import sn.wolo.platform.security.KeyRing;
import sn.wolo.platform.security.Tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Phone sign-up and login with one-time codes: 6 digits, stored as a keyed hash, valid 5 minutes,
 * locked after 5 wrong tries; only the newest code of a phone is valid; resend cooldown and
 * per-phone and per-IP hourly limits. The code goes out through the notification domain.
 */
final class OtpService {

  private static final Logger log = LoggerFactory.getLogger(OtpService.class);
  private static final Pattern SIX_DIGITS = Pattern.compile("\\d{6}");
  private static final String PURPOSE = "otp";

  // The phone's lock, then the client IP's: both counters are read and the code inserted under
  // them, so concurrent requests cannot all pass a limit (every request takes them in this order).
  private static final String LOCK_PHONE_AND_IP = """
      SELECT pg_advisory_xact_lock(hashtext('otp:' || $1)), pg_advisory_xact_lock(hashtext('otp-ip:' || COALESCE($2, '')))""";
  private static final String RECENT = """
      SELECT (SELECT count(*) FROM identity.otp_codes WHERE phone = $1 AND created_at > $3) AS phone_count,
             (SELECT max(created_at) FROM identity.otp_codes WHERE phone = $1) AS last_sent,
             (SELECT count(*) FROM identity.otp_codes WHERE request_ip = $2::text::inet AND created_at > $3) AS ip_count""";
  private static final String SUPERSEDE = "UPDATE identity.otp_codes SET consumed_at = $2 WHERE phone = $1 AND consumed_at IS NULL";
  private static final String INSERT = """
      INSERT INTO identity.otp_codes (id, phone, code_hash, max_attempts, expires_at, request_ip, created_at)
      VALUES ($1, $2, $3, $4, $5, $6::text::inet, $7)""";
  private static final String LATEST = """
      SELECT id, code_hash, attempts, max_attempts, expires_at FROM identity.otp_codes
      WHERE phone = $1 AND consumed_at IS NULL ORDER BY created_at DESC LIMIT 1 FOR UPDATE""";
  private static final String WRONG = """
      UPDATE identity.otp_codes SET attempts = attempts + 1,
             consumed_at = CASE WHEN attempts + 1 >= max_attempts THEN $2::timestamptz ELSE NULL END WHERE id = $1""";
  private static final String CONSUME = "UPDATE identity.otp_codes SET consumed_at = $2 WHERE id = $1";

  private final Vertx vertx;
  private final Notifications notifications;
  private final Pool pool;
  private final KeyRing keys;
  private final Clock clock;
  private final IdentitySettings settings;
  private final Users users;
  private final SessionStore sessions;

  OtpService(Vertx vertx, Pool pool, KeyRing keys, Clock clock, IdentitySettings settings, Users users, SessionStore sessions) {
    this.vertx = vertx;
    this.notifications = TypedBus.proxy(vertx, Notifications.class);
    this.pool = pool;
    this.keys = keys;
    this.clock = clock;
    this.settings = settings;
    this.users = users;
    this.sessions = sessions;
  }

  /** {@code {"phone","ip"}} → {@code {"expires_in"}}; the code is sent by SMS. */
  Future<JsonObject> request(JsonObject req) {
    String phone = PhoneNumbers.normaliseMobile(req.getString("phone"), settings.otpAllowedCountries());
    String ip = req.getString("ip");
    String code = Tokens.digits(6);
    UUID id = UUID.randomUUID();
    OffsetDateTime now = Times.now(clock);
    int ttl = settings.otpTtlSeconds();
    return pool.withTransaction(tx -> tx.preparedQuery(LOCK_PHONE_AND_IP).execute(Tuple.of(phone, ip))
            .compose(v -> tx.preparedQuery(RECENT).execute(Tuple.of(phone, ip, now.minusHours(1))))
            .compose(rows -> checkLimits(rows.iterator().next(), now))
            .compose(v -> tx.preparedQuery(SUPERSEDE).execute(Tuple.of(phone, now)))
            .compose(v -> tx.preparedQuery(INSERT).execute(Tuple.from(new Object[] {id, phone, hash(phone, code),
                settings.otpMaxAttempts(), now.plusSeconds(ttl), ip, now}))))
        .compose(v -> notifications.send(new OutgoingMessage("otp_code", "sms", phone, null,
                OutgoingMessage.data("code", code, "minutes", ttl / 60), "otp:" + id))
            .recover(e -> {
              log.warn("OTP for {} stored but not sent: {}", PhoneNumbers.mask(phone), e.getMessage());
              return Future.failedFuture(new DomainException(ErrorKind.UNAVAILABLE, "otp_not_sent", "The code could not be sent; try again shortly."));
            }))
        .map(v -> new JsonObject().put("expires_in", ttl).put("resend_after", settings.otpResendCooldownSeconds()));
  }

  /** {@code {"phone","code", client…}} → tokens; creates the account on the first successful code. */
  Future<JsonObject> verify(JsonObject req) {
    String phone = PhoneNumbers.normalise(req.getString("phone"));
    String code = req.getString("code");
    String referralCode = ReferralCodes.normalised(req.getValue("referral_code"));
    OffsetDateTime now = Times.now(clock);
    Client client = Client.from(req);
    return pool.withTransaction(tx -> consume(tx, phone, code, now).compose(wrong -> wrong != null
        ? Future.succeededFuture(Outcome.fail(wrong))
        : users.findOrCreateByPhone(tx, phone, now).compose(user -> signIn(tx, user, client, now, referralCode))))
        .compose(Outcome::toFuture);
  }

  /**
   * A fresh code proving that the holder of {@code phone} is present (the admin console's step-up):
   * consumed like a sign-in code, no session opened. Fails with the same errors as {@link #verify}.
   */
  Future<Void> confirm(String phone, String code) {
    OffsetDateTime now = Times.now(clock);
    return pool.withTransaction(tx -> consume(tx, phone, code, now)
            .map(wrong -> wrong == null ? Outcome.ok(new JsonObject()) : Outcome.fail(wrong)))
        .compose(Outcome::toFuture).mapEmpty();
  }

  /** Checks and consumes the latest code of {@code phone}: null when right, else the error to answer after the commit. */
  private Future<DomainException> consume(SqlConnection tx, String phone, String code, OffsetDateTime now) {
    if (code == null || !SIX_DIGITS.matcher(code).matches()) {
      return Future.failedFuture(DomainException.invalid("invalid_code_format", "The code has 6 digits."));
    }
    return tx.preparedQuery(LATEST).execute(Tuple.of(phone)).compose(rows -> {
      if (rows.size() == 0) return Future.succeededFuture(wrongCode());
      Row otp = rows.iterator().next();
      if (!otp.getOffsetDateTime("expires_at").isAfter(now)) {
        return tx.preparedQuery(CONSUME).execute(Tuple.of(otp.getUUID("id"), now))
            .map(v -> new DomainException(ErrorKind.UNAUTHENTICATED, "code_expired", "This code has expired; ask for a new one."));
      }
      if (!Tokens.constantTimeEquals(otp.getString("code_hash"), hash(phone, code))) {
        boolean locks = otp.getInteger("attempts") + 1 >= otp.getInteger("max_attempts");
        return tx.preparedQuery(WRONG).execute(Tuple.of(otp.getUUID("id"), now))
            .map(v -> locks ? new DomainException(ErrorKind.RATE_LIMITED, "too_many_attempts", "Too many wrong codes; ask for a new one.") : wrongCode());
      }
      return tx.preparedQuery(CONSUME).execute(Tuple.of(otp.getUUID("id"), now)).map(v -> (DomainException) null);
    });
  }

  private Future<Outcome> signIn(SqlConnection tx, Users.User user, Client client, OffsetDateTime now, String referralCode) {
    if (!user.active()) {
      return Future.succeededFuture(Outcome.fail(new DomainException(ErrorKind.FORBIDDEN, "account_suspended", "This account is suspended.")));
    }
    Future<Void> signedUp = user.created() ? Outbox.append(tx, DomainEvent.of("identity.user_signed_up", "user", user.id(),
        new JsonObject().put("user_id", user.id().toString()).put("method", "phone").put("referral_code", referralCode),
        clock.instant())) : Future.succeededFuture();
    return signedUp.compose(v -> users.touchLogin(tx, user.id(), now))
        .compose(v -> sessions.open(tx, user.id(), user.roles(), client))
        .map(tokens -> Outcome.ok(tokens.put("is_new_user", user.created())));
  }

  private Future<Void> checkLimits(Row r, OffsetDateTime now) {
    OffsetDateTime last = r.getOffsetDateTime("last_sent");
    long cooldown = settings.otpResendCooldownSeconds();
    if (last != null && Duration.between(last, now).getSeconds() < cooldown) {
      long wait = cooldown - Duration.between(last, now).getSeconds();
      return Future.failedFuture(DomainException.rateLimited("otp_cooldown", "Wait " + wait + " s before asking for another code.", wait));
    }
    if (r.getLong("phone_count") >= settings.otpMaxPerPhonePerHour()) {
      return Future.failedFuture(new DomainException(ErrorKind.RATE_LIMITED, "otp_rate_limited", "Too many codes for this number; try again later."));
    }
    if (r.getLong("ip_count") >= settings.otpMaxPerIpPerHour()) {
      return Future.failedFuture(new DomainException(ErrorKind.RATE_LIMITED, "otp_rate_limited", "Too many codes requested; try again later."));
    }
    return Future.succeededFuture();
  }

  private String hash(String phone, String code) {
    return keys.hmac(PURPOSE, phone + ":" + code);
  }

  private static DomainException wrongCode() {
    return new DomainException(ErrorKind.UNAUTHENTICATED, "invalid_code", "The code is wrong or expired.");
  }

}
