package sn.wolo.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import sn.wolo.identity.api.Accounts;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.Times;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.phone.PhoneNumbers;
import sn.wolo.platform.security.AccessTokens;
import sn.wolo.platform.security.KeyRing;
import sn.wolo.platform.security.PasswordHasher;
import sn.wolo.platform.security.RevokedSessions;

import java.util.List;
import java.util.UUID;

/**
 * Identity: accounts, phone OTP and email login, sessions and roles (schema identity).
 *
 * <p>Event-bus contract ({@code wolo.identity.*}, JSON in and out, failures as DomainFailure):
 * {@code otp-request}, {@code otp-verify}, {@code register}, {@code login}, {@code refresh},
 * {@code logout}, {@code logout-all}, {@code sessions}, {@code password-forgot},
 * {@code password-reset}, {@code consent}, {@code erase} (the HTTP flows); {@code get-user}
 * {@code {"user_id"}}, {@code find-by-phone} {@code {"phone"}}, {@code check-roles}
 * {@code {"user_id","roles":[…]}} → {@code {"allowed"}}, {@code validate-token} {@code {"token"}}
 * → {@code {"user_id","roles","session_id"}} (for internal services). Broadcast:
 * {@code wolo.identity.session-revoked}. {@code step-up} {@code {"user_id","code"|"password"}} → the roles
 * (the admin console's proof of presence).
 */
public final class IdentityVerticle extends DomainVerticle {

  public static final String DOMAIN = "identity";

  public static String address(String verb) {
    return Addresses.request(DOMAIN, verb);
  }

  private final Users users = new Users();
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IdentityVerticle.class);
  /** How often recent revocations are reloaded from the database (heals a missed NOTIFY). */
  private static final long REVOCATION_RELOAD_MS = 10_000;
  private SessionStore sessions;
  private AccessTokens accessTokens;

  public IdentityVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }

  @Override
  protected Future<?> startDomain() {
    var config = app.config();
    IdentitySettings settings = IdentitySettings.from(config);
    accessTokens = new AccessTokens(vertx, config);
    KeyRing keys = KeyRing.fromBase64(settings.masterKey());
    sessions = new SessionStore(vertx, pool, accessTokens, app.clock(), settings.refreshTtlDays());
    OtpService otp = new OtpService(vertx, pool, keys, app.clock(), settings, users, sessions);
    PasswordAuth passwords = new PasswordAuth(vertx, pool, app.clock(), users, sessions);

    Bus.serve(vertx, address("otp-request"), otp::request);
    Bus.serve(vertx, address("otp-verify"), otp::verify);
    Bus.serve(vertx, address("register"), passwords::register);
    Bus.serve(vertx, address("login"), passwords::login);
    Bus.serve(vertx, address("password-forgot"), passwords::forgot);
    Bus.serve(vertx, address("password-reset"), passwords::reset);
    StepUp stepUp = new StepUp(vertx, pool, users, otp);
    Bus.serve(vertx, address("refresh"), req -> sessions.refresh(require(req, "refresh_token"), Client.from(req)));
    Bus.serve(vertx, address("logout"), req -> sessions.revokeSession(require(req, "session_id")).map(new JsonObject()));
    Bus.serve(vertx, address("logout-all"), this::logoutAll);
    Bus.serve(vertx, address("sessions"), req -> sessions.active(userId(req), req.getString("session_id"))
        .map(list -> new JsonObject().put("sessions", list)));
    Bus.serve(vertx, address("check-roles"), this::checkRoles);
    Bus.serve(vertx, address("validate-token"), this::validateToken);
    Bus.serve(vertx, address("consent"), req -> users.setMarketingConsent(pool, userId(req),
        Boolean.TRUE.equals(req.getValue("marketing_consent")) ? Times.now(app.clock()) : null).map(new JsonObject()));
    Erasure erasure = new Erasure(pool, keys, app.clock(), sessions, users);
    Bus.serve(vertx, address("erase"), req -> erasure.erase(userId(req)));   // at once: the undoing of a half-made sign-up
    Bus.serve(vertx, address("request-erasure"), req -> erasure.request(userId(req)));
    Bus.serve(vertx, address("erase-due"), req -> erasure.eraseDue());
    TypedBus.bind(vertx, Accounts.class, new AccountsEndpoint(pool, users, stepUp, erasure));
    UserAdministration administration = new UserAdministration(pool, sessions, app.clock());
    Bus.serve(vertx, address("set-active"), administration::setActive);
    Bus.serve(vertx, address("set-roles"), administration::setRoles);

    vertx.eventBus().<JsonObject>consumer(SessionStore.REVOKED_ADDRESS, msg -> {
      long at = msg.body().getLong("at", app.clock().millis());
      msg.body().getJsonArray("session_ids", new JsonArray()).forEach(sid -> RevokedSessions.add(vertx, sid.toString(), at));
    });
    long ttlMillis = accessTokens.ttlSeconds() * 1000L;
    vertx.setPeriodic(60_000, id -> RevokedSessions.prune(vertx, app.clock().millis(), ttlMillis + 60_000));
    Retention retention = new Retention(pool, app.clock(), erasure);
    Bus.serve(vertx, address("retention"), req -> retention.run());   // operations and tests: run it now
    vertx.setPeriodic(java.time.Duration.ofMinutes(10).toMillis(), id -> sn.wolo.platform.scheduling.DailyJobs.runForYesterday(
            pool, app.clock(), "identity-retention", day -> retention.run())
        .onFailure(e -> log.warn("identity retention failed, retried in 10 minutes: {}", e.toString())));
    // Heals a missed cross-process signal: recent revocations are reloaded from the database.
    vertx.setPeriodic(REVOCATION_RELOAD_MS, id -> sessions.loadRecentlyRevoked()
        .onFailure(e -> log.warn("revocations not reloaded, next tick retries: {}", e.toString())));
    if (app.signals() != null) app.signals().on(RevocationListener.CHANNEL, payload -> RevocationListener.apply(vertx, payload));
    // Load libphonenumber's metadata and compute the dummy Argon2 hash on a worker now, rather than
    // on an event loop at the first request.
    return vertx.executeBlocking(() -> PhoneNumbers.normalise("+221771234567") + PasswordHasher.DUMMY.length())
        .compose(v -> sessions.loadRecentlyRevoked());
  }

  @Override
  protected Future<JsonObject> exportUserData(String userId) {
    return users.export(pool, UUID.fromString(userId));
  }

  private Future<JsonObject> logoutAll(JsonObject req) {
    return pool.withTransaction(tx -> sessions.revokeAll(tx, userId(req))).map(revoked -> {
      sessions.announceRevoked(revoked);
      return new JsonObject().put("revoked_sessions", revoked.size());
    });
  }

  private Future<JsonObject> checkRoles(JsonObject req) {
    List<Object> wanted = req.getJsonArray("roles", new JsonArray()).getList();
    return users.byId(pool, userId(req)).map(u -> new JsonObject().put("allowed",
        u.filter(Users.User::active).map(user -> user.roles().stream().anyMatch(wanted::contains)).orElse(false)));
  }

  private Future<JsonObject> validateToken(JsonObject req) {
    return accessTokens.verify(require(req, "token"))
        .recover(e -> Future.failedFuture(new DomainException(ErrorKind.UNAUTHENTICATED, "invalid_token", "The access token is invalid or expired.")))
        .compose(p -> RevokedSessions.contains(vertx, p.sessionId())
            ? Future.failedFuture(new DomainException(ErrorKind.UNAUTHENTICATED, "session_revoked", "This session has been signed out."))
            : Future.succeededFuture(new JsonObject().put("user_id", p.userId())
                .put("roles", new JsonArray(List.copyOf(p.roles()))).put("session_id", p.sessionId())));
  }

  static UUID userId(JsonObject req) {
    try {
      return UUID.fromString(require(req, "user_id"));
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("invalid_user_id", "user_id must be a UUID.");
    }
  }

  static String require(JsonObject req, String field) {
    String v = req.getString(field);
    if (v == null || v.isBlank()) throw DomainException.invalid("missing_" + field, field + " is required.");
    return v;
  }
}
