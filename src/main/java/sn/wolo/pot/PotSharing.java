package sn.wolo.pot;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import sn.wolo.donation.DonationVerticle;
import sn.wolo.notification.NotificationVerticle;
import sn.wolo.platform.Times;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.config.WoloConfig;
import sn.wolo.platform.http.ApiError;
import sn.wolo.platform.phone.PhoneNumbers;
import sn.wolo.platform.security.Tokens;
import sn.wolo.profile.ProfileVerticle;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The pot's public side: invitations with unguessable share links, and the public page (public
 * pots for anyone; private and friends-only pots only with a share token from an invitation).
 */
final class PotSharing {

  static final Set<String> METHODS = Set.of("whatsapp", "sms", "email", "social");

  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;
  private final WoloConfig config;
  private final PotRepository repo;

  PotSharing(Vertx vertx, Pool pool, Clock clock, WoloConfig config, PotRepository repo) {
    this.vertx = vertx;
    this.pool = pool;
    this.clock = clock;
    this.config = config;
    this.repo = repo;
  }

  /** {@code {"method","recipient","message"}} → {@code {"id","link"}}; delivered by the notification domain. */
  Future<JsonObject> invite(UUID potId, UUID caller, JsonObject body) {
    String method = String.valueOf(body.getValue("method"));
    if (!METHODS.contains(method)) throw ApiError.badRequest("invalid_method", "method is one of " + METHODS);
    String recipient = recipient(method, body.getValue("recipient"));
    Object m = body.getValue("message");
    if (m != null && (!(m instanceof String s) || s.length() > 500)) throw ApiError.badRequest("invalid_message", "message has at most 500 characters.");
    String message = (String) m;
    OffsetDateTime now = Times.now(clock);
    OffsetDateTime dayStart = Times.dakarMidnight(Times.dakarToday(clock));
    String token = Tokens.random256();
    String link = config.string("public.base-url") + "/p/" + potId + "?t=" + token;
    return pool.withTransaction(tx -> repo.findForUpdate(tx, potId).compose(found -> {
      Row pot = found.filter(r -> r.getUUID("owner_user_id").equals(caller))
          .orElseThrow(() -> ApiError.notFound("pot_not_found", "No such pot."));
      if (Set.of("closed", "expired").contains(pot.getString("status"))) throw ApiError.conflict("pot_closed", "This pot is closed.");
      return repo.invitationsSince(tx, potId, dayStart).compose(count -> {
        if (count >= config.integer("pot.invitations-per-day")) {
          throw new ApiError(429, "invitation_limit", "This pot has sent its " + config.integer("pot.invitations-per-day")
              + " invitations for today; try again tomorrow.");
        }
        return repo.insertInvitation(tx, potId, caller, method, recipient, message, Tokens.sha256(token), now)
            .map(id -> new JsonObject().put("id", id.toString()).put("link", link).put("title", pot.getString("title")));
      });
    })).compose(created -> deliver(method, recipient, caller, created, message).map(v -> {
      vertx.eventBus().send(PotVerticle.COUNTED, new JsonObject().put("pot_id", potId.toString()).put("shares", 1));
      created.remove("title");
      return created;
    }));
  }

  /** {@code GET /v1/public/invitations/{token}}: the invitee opened the link. */
  Future<JsonObject> open(String token) {
    return repo.openInvitation(pool, Tokens.sha256(token), Times.now(clock)).map(pot -> pot
        .map(id -> new JsonObject().put("pot_id", id.toString())
            .put("link", config.string("public.base-url") + "/p/" + id + "?t=" + token))
        .orElseThrow(() -> ApiError.notFound("invitation_not_found", "This invitation link is not valid.")));
  }

  /** The donation page marks the click (the donations domain calls {@code wolo.pot.invitation-clicked}). */
  Future<JsonObject> clicked(JsonObject req) {
    return repo.clickInvitation(pool, Tokens.sha256(req.getString("token")), Times.now(clock)).map(new JsonObject());
  }

  /** The public page: visibility, owner's display name, progress, masked donor list, messages when enabled. */
  Future<JsonObject> publicPage(UUID potId, String token, int page, int size) {
    return repo.find(pool, potId).compose(found -> {
      Row pot = found.orElseThrow(PotSharing::notFound);
      Future<Boolean> visible = "public".equals(pot.getString("visibility")) ? Future.succeededFuture(true)
          : token == null || token.isBlank() ? Future.succeededFuture(false) : repo.tokenOpensPot(pool, potId, Tokens.sha256(token));
      return visible.compose(ok -> {
        if (!ok) return Future.failedFuture(notFound());
        vertx.eventBus().send(PotVerticle.COUNTED, new JsonObject().put("pot_id", potId.toString()).put("views", 1));
        JsonObject id = new JsonObject().put("pot_id", potId.toString());
        Future<JsonObject> totals = Bus.call(vertx, DonationVerticle.TOTALS, id);
        Future<JsonObject> donors = Bus.call(vertx, DonationVerticle.PUBLIC_LIST, id.copy().put("page", page).put("size", size)
            .put("show_donor_names", pot.getBoolean("show_donor_names")).put("enable_messages", pot.getBoolean("enable_messages")));
        Future<String> owner = Bus.call(vertx, ProfileVerticle.address("get"),
                new JsonObject().put("user_id", pot.getUUID("owner_user_id").toString()))
            .map(p -> displayName(p.getString("full_name"))).recover(e -> Future.succeededFuture("Un ami WOLO"));
        return Future.all(totals, donors, owner).map(v -> {
          long credit = pot.getLong("referral_credit_cfa");
          long raised = totals.result().getLong("raised_cfa") + credit;   // donations, plus the owner's converted points
          int target = pot.getInteger("target_amount_cfa");
          return new JsonObject()
              .put("id", potId.toString()).put("title", pot.getString("title")).put("description", pot.getString("description"))
              .put("owner_display_name", owner.result()).put("status", pot.getString("status"))
              .put("birthday_date", pot.getLocalDate("birthday_date").toString())
              .put("cover_image_url", pot.getString("cover_image_url"))
              .put("allow_anonymous_donations", pot.getBoolean("allow_anonymous_donations"))
              .put("enable_messages", pot.getBoolean("enable_messages"))
              .put("progress", new JsonObject().put("raised_cfa", raised).put("referral_credit_cfa", credit).put("target_amount_cfa", target)
                  .put("percent", (int) Math.min(100, raised * 100 / target)).put("donors", totals.result().getLong("donors")))
              .put("donors", donors.result().getJsonArray("donors")).put("page", page).put("size", donors.result().getInteger("size"));
        });
      });
    });
  }

  private Future<Void> deliver(String method, String recipient, UUID caller, JsonObject created, String message) {
    if ("social".equals(method)) return Future.succeededFuture();   // the app shares the link itself
    return Bus.call(vertx, ProfileVerticle.address("get"), new JsonObject().put("user_id", caller.toString()))
        .map(p -> displayName(p.getString("full_name"))).recover(e -> Future.succeededFuture("Un ami"))
        .compose(owner -> Bus.call(vertx, NotificationVerticle.SEND, new JsonObject()
            .put("template_key", "pot_invitation").put("channel", method).put("recipient", recipient)
            .put("dedupe_key", "pot_invitation:" + created.getString("id"))
            .put("data", new JsonObject().put("owner_name", owner).put("pot_title", created.getString("title"))
                .put("message", message == null ? "" : message).put("link", created.getString("link")))))
        .mapEmpty();
  }

  private static String recipient(String method, Object value) {
    if (!(value instanceof String s) || s.isBlank() || s.length() > 255) throw ApiError.badRequest("invalid_recipient", "recipient is required.");
    return switch (method) {
      case "sms", "whatsapp" -> PhoneNumbers.normalise(s);
      case "email" -> {
        String e = s.trim().toLowerCase(Locale.ROOT);
        if (!e.matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]{2,}$")) throw ApiError.badRequest("invalid_recipient", "recipient is an email address.");
        yield e;
      }
      default -> s.trim();
    };
  }

  /** "Awa Diop" → "Awa D.": enough for friends to recognise, little for strangers. */
  static String displayName(String fullName) {
    if (fullName == null || fullName.isBlank()) return "Un ami WOLO";
    String[] parts = fullName.trim().split("\\s+");
    return parts.length == 1 ? parts[0] : parts[0] + " " + parts[parts.length - 1].charAt(0) + ".";
  }

  private static ApiError notFound() {
    return ApiError.notFound("pot_not_found", "No such pot.");
  }
}
