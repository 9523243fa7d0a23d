package sn.wolo.profile;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import sn.wolo.identity.api.Accounts;
import sn.wolo.notification.api.Notifications;
import sn.wolo.notification.api.OutgoingMessage;
import sn.wolo.platform.Times;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;
import sn.wolo.platform.security.KeyRing;
import sn.wolo.pot.api.Pots;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Profiles: personal data, minors and their guardians, ID checks. A minor (under 18 on Dakar's
 * calendar) may keep a profile but cannot own a pot until a guardian (an existing user, found by
 * phone) accepts the link.
 */
final class ProfileService {

  static final Set<String> ID_TYPES = Set.of("passport", "national_id", "birth_certificate");
  private static final Pattern ID_NUMBER = Pattern.compile("[A-Z0-9-]{4,30}");
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{3}");

  private final Vertx vertx;
  private final Accounts accounts;
  private final Pots pots;
  private final Notifications notifications;
  private final Pool pool;
  private final Clock clock;
  private final KeyRing keys;
  private final ProfileRepository repo = new ProfileRepository();

  ProfileService(Vertx vertx, Pool pool, Clock clock, KeyRing keys) {
    this.vertx = vertx;
    this.accounts = TypedBus.proxy(vertx, Accounts.class);
    this.pots = TypedBus.proxy(vertx, Pots.class);
    this.notifications = TypedBus.proxy(vertx, Notifications.class);
    this.pool = pool;
    this.clock = clock;
    this.keys = keys;
  }

  ProfileRepository repository() {
    return repo;
  }

  /** Validates a new profile and resolves the guardian's account: nothing is written. */
  Future<JsonObject> prepare(JsonObject req) {
    String name = ProfileInput.fullName(req.getValue("full_name"));
    LocalDate dob = ProfileInput.dateOfBirth(req.getValue("date_of_birth"), clock);
    JsonObject prepared = new JsonObject().put("full_name", name).put("date_of_birth", dob.toString());
    if (!Ages.isMinor(dob, clock)) return Future.succeededFuture(prepared.put("is_minor", false));
    return resolveGuardian(req).map(g -> prepared.put("is_minor", true).mergeIn(g));
  }

  /** Creates the profile of {@code user_id} from a {@link #prepare}d request, and the guardian request if any. */
  Future<JsonObject> create(JsonObject prepared) {
    UUID userId = UUID.fromString(prepared.getString("user_id"));
    OffsetDateTime now = now();
    return pool.withTransaction(tx -> repo.insert(tx, userId, prepared.getString("full_name"),
            LocalDate.parse(prepared.getString("date_of_birth")), now)
        .compose(created -> {
          if (!created) return Future.failedFuture(DomainException.conflict("profile_exists", "This account already has a profile."));
          return guardianRequestIfGiven(tx, userId, prepared, now);
        }))
        .compose(requestId -> notifyGuardian(requestId, prepared, prepared.getString("full_name")))
        .compose(v -> view(userId));
  }

  /** PUT /v1/me/profile: creates the profile on first call, then updates the given fields. */
  Future<JsonObject> upsert(UUID userId, JsonObject body) {
    JsonObject optional = ProfileInput.optionalFields(body);
    return repo.find(pool, userId).compose(existing -> {
      if (existing.isEmpty()) {
        return prepare(body).compose(p -> create(p.copy().put("user_id", userId.toString())))
            .compose(v -> repo.update(pool, userId, optional)).compose(v -> view(userId));
      }
      JsonObject changes = optional.copy();
      if (body.containsKey("full_name")) changes.put("full_name", ProfileInput.fullName(body.getValue("full_name")));
      LocalDate dob = body.containsKey("date_of_birth") ? ProfileInput.dateOfBirth(body.getValue("date_of_birth"), clock)
          : existing.get().getLocalDate("date_of_birth");
      if (body.containsKey("date_of_birth")) changes.put("date_of_birth", dob.toString());
      boolean newGuardian = body.getValue("guardian_phone") != null && Ages.isMinor(dob, clock);
      boolean birthdayChanges = !dob.equals(existing.get().getLocalDate("date_of_birth"));
      // The birthday dates a live pot: changing it while one runs would let an owner hold several.
      Future<Void> birthdayFree = birthdayChanges ? pots.livePot(userId).map(live -> {
                if (live.live()) {
                  throw DomainException.conflict("birthday_locked", "Your birthday cannot change while your pot is live; contact support.");
                }
                return null;
              }) : Future.succeededFuture();
      Future<JsonObject> guardian = birthdayFree.compose(v -> newGuardian ? resolveGuardian(body) : Future.succeededFuture(new JsonObject()));
      OffsetDateTime now = now();
      return guardian.compose(g -> pool.withTransaction(tx -> repo.update(tx, userId, changes)
              .compose(v -> guardianRequestIfGiven(tx, userId, g, now)))
          .compose(requestId -> notifyGuardian(requestId, g, changes.getString("full_name",
              existing.get().getString("full_name")))))
          .compose(v -> view(userId));
    });
  }

  Future<JsonObject> view(UUID userId) {
    return repo.find(pool, userId).map(row -> row.map(r -> ProfileViews.mine(r, clock))
        .orElseThrow(() -> DomainException.notFound("profile_not_found", "No profile yet: PUT /v1/me/profile creates it.")));
  }

  /** What another user (or an anonymous visitor) may see; private profiles are not found. */
  Future<JsonObject> publicView(UUID userId, String viewerId, boolean viewerIsAdmin) {
    return repo.find(pool, userId).map(row -> row
        .filter(r -> r.getBoolean("is_profile_public") || userId.toString().equals(viewerId) || viewerIsAdmin)
        .map(ProfileViews::publicView)
        .orElseThrow(() -> DomainException.notFound("profile_not_found", "No such profile.")));
  }

  /** The pot domain asks before a pot is created. */
  Future<JsonObject> canOwnPot(UUID userId) {
    return repo.find(pool, userId).map(row -> {
      if (row.isEmpty()) return decision(false, "profile_incomplete", null);
      Row r = row.get();
      boolean minor = Ages.isMinor(r.getLocalDate("date_of_birth"), clock);
      if (minor && r.getUUID("guardian_user_id") == null) return decision(false, "guardian_required", r);
      return decision(true, null, r).put("is_minor", minor);
    });
  }

  Future<JsonObject> acceptGuardian(UUID guardianId, UUID requestId, boolean accept) {
    OffsetDateTime now = now();
    return pool.withTransaction(tx -> repo.pendingRequestForUpdate(tx, requestId).compose(found -> {
      Row r = found.filter(x -> guardianId.equals(x.getUUID("guardian_user_id")))
          .orElseThrow(() -> DomainException.notFound("guardian_request_not_found", "No such guardian request for you."));
      if (!"pending".equals(r.getString("status"))) {
        throw DomainException.conflict("guardian_request_closed", "This request was already " + r.getString("status") + ".");
      }
      UUID minor = r.getUUID("minor_user_id");
      Future<Void> link = accept ? repo.linkGuardian(tx, minor, guardianId, r.getString("relationship_type")) : Future.succeededFuture();
      return link.compose(v -> repo.answerRequest(tx, requestId, accept ? "accepted" : "declined", now))
          .compose(v -> Outbox.append(tx, DomainEvent.of(accept ? "profile.guardian_accepted" : "profile.guardian_declined",
              "user", minor, new JsonObject().put("minor_user_id", minor.toString()).put("guardian_user_id", guardianId.toString()),
              clock.instant())))
          .map(v -> new JsonObject().put("id", requestId.toString()).put("status", accept ? "accepted" : "declined"));
    }));
  }

  /** Stores an ID document: the number encrypted (AES-GCM), plus a keyed hash to find duplicates. */
  Future<JsonObject> submitId(UUID userId, JsonObject body) {
    String type = body.getValue("id_type") instanceof String s ? s : "";
    if (!ID_TYPES.contains(type)) throw DomainException.invalid("invalid_id_type", "id_type is one of " + ID_TYPES);
    String number = body.getValue("id_number") instanceof String s ? s.replaceAll("[\\s.]", "").toUpperCase(Locale.ROOT) : "";
    if (!ID_NUMBER.matcher(number).matches()) throw DomainException.invalid("invalid_id_number", "id_number has 4 to 30 letters or digits.");
    String country = body.getValue("id_country") instanceof String s ? s.toUpperCase(Locale.ROOT) : "SEN";
    if (!COUNTRY.matcher(country).matches()) throw DomainException.invalid("invalid_id_country", "id_country is an ISO 3166 alpha-3 code.");
    String media = ProfileInput.url(body.getValue("id_media_url"), "id_media_url");
    String idHash = keys.hmac("id-hash", country + "|" + type + "|" + number);
    String encrypted = keys.encrypt("id-number", number);
    return repo.idHashUsedByAnother(pool, userId, idHash).compose(used -> {
      if (used) return Future.failedFuture(DomainException.conflict("id_already_registered", "This ID document is registered to another account."));
      return repo.setIdDocument(pool, userId, type, country, encrypted, idHash, media);
    }).compose(updated -> updated ? view(userId)
        : Future.failedFuture(DomainException.notFound("profile_not_found", "Create your profile first.")));
  }

  Future<JsonObject> verifyId(UUID userId, UUID adminId) {
    OffsetDateTime now = now();
    return pool.withTransaction(tx -> repo.markIdVerified(tx, userId, adminId, now).compose(ok -> {
      if (!ok) return Future.failedFuture(DomainException.notFound("id_not_submitted", "This user has not submitted an ID document."));
      return Outbox.append(tx, DomainEvent.of("profile.id_verified", "user", userId,
          new JsonObject().put("user_id", userId.toString()).put("verified_by", adminId.toString()), clock.instant()));
    })).compose(v -> view(userId));
  }

  Future<JsonObject> erase(UUID userId) {
    return pool.withTransaction(tx -> repo.erase(tx, userId, now())).map(v -> new JsonObject().put("erased", true));
  }

  /** The user's own data, the ID number decrypted: it is theirs (GDPR access right). */
  Future<JsonObject> export(UUID userId) {
    return repo.find(pool, userId).compose(row -> repo.addresses(pool, userId).map(addresses -> {
      JsonObject out = row.map(r -> {
        JsonObject p = ProfileViews.mine(r, clock);
        String enc = r.getString("id_number");
        if (enc != null) p.getJsonObject("id_document").put("id_number", keys.decrypt("id-number", enc));
        return p;
      }).orElse(new JsonObject());
      return out.put("addresses", addresses);
    }));
  }

  /**
   * The named guardian: the phone (normalised), its keyed hash, and the account that uses it — null
   * when none does. Nothing of that difference reaches the minor's answer (no enumeration).
   */
  private Future<JsonObject> resolveGuardian(JsonObject req) {
    Object phone = req.getValue("guardian_phone");
    if (!(phone instanceof String p) || p.isBlank()) {
      return Future.failedFuture(new DomainException(ErrorKind.UNPROCESSABLE, "guardian_required",
          "Users under 18 need a guardian: give guardian_phone, the phone number of the guardian's WOLO account."));
    }
    String relationship = ProfileInput.relationship(req.getValue("relationship_type"));
    String e164 = sn.wolo.platform.phone.PhoneNumbers.normalise(p);
    JsonObject g = new JsonObject().put("guardian_phone", e164).put("guardian_phone_hash", keys.hmac("guardian-phone", e164))
        .put("relationship_type", relationship);
    return accounts.findByPhone(e164)
        .map(user -> g.put("guardian_user_id", user.userId().toString()))
        .recover(e -> Future.succeededFuture(g));
  }

  /**
   * Records the request (limits per minor and per phone, the same for every phone); answers the id
   * of a request to notify, null when there is nothing to send: no guardian named, the same phone
   * already pending, or a phone without an account (the guardian must sign up, then be named again).
   */
  private Future<UUID> guardianRequestIfGiven(io.vertx.sqlclient.SqlConnection tx, UUID minor, JsonObject g, OffsetDateTime now) {
    String phoneHash = g.getString("guardian_phone_hash");
    if (phoneHash == null) return Future.succeededFuture(null);
    String guardianId = g.getString("guardian_user_id");
    if (minor.toString().equals(guardianId)) return Future.failedFuture(DomainException.invalid("guardian_is_self", "You cannot be your own guardian."));
    return repo.guardianRequestCounts(tx, minor, phoneHash, now.minusHours(24)).compose(counts -> {
      if (counts.getBoolean("same_pending")) return Future.succeededFuture(null);
      if (counts.getLong("by_minor") >= GUARDIAN_REQUESTS_PER_MINOR_PER_DAY || counts.getLong("by_phone") >= GUARDIAN_REQUESTS_PER_PHONE_PER_DAY) {
        return Future.failedFuture(DomainException.rateLimited("guardian_rate_limited", "Too many guardian requests; try again tomorrow.", 3600));
      }
      UUID guardian = guardianId == null ? null : UUID.fromString(guardianId);
      return repo.requestGuardian(tx, minor, guardian, phoneHash, g.getString("relationship_type"), now)
          .map(id -> guardian == null ? null : id);
    });
  }

  private Future<Void> notifyGuardian(UUID requestId, JsonObject g, String minorName) {
    if (requestId == null) return Future.succeededFuture();
    UUID guardian = g.getString("guardian_user_id") == null ? null : UUID.fromString(g.getString("guardian_user_id"));
    return notifications.send(new OutgoingMessage("guardian_request", "sms", g.getString("guardian_phone"), guardian,
            OutgoingMessage.data("minor_name", minorName, "relationship", g.getString("relationship_type")), "guardian_request:" + requestId))
        .mapEmpty();
  }

  private static JsonObject decision(boolean allowed, String reason, Row r) {
    return new JsonObject().put("allowed", allowed).put("reason", reason)
        .put("date_of_birth", r == null ? null : r.getLocalDate("date_of_birth").toString());
  }

  static final int GUARDIAN_REQUESTS_PER_MINOR_PER_DAY = 5;
  static final int GUARDIAN_REQUESTS_PER_PHONE_PER_DAY = 3;

  private OffsetDateTime now() {
    return Times.now(clock);
  }
}
