package sn.wolo.pot;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import sn.wolo.donation.api.Donations;
import sn.wolo.donation.api.PotDonationTotals;
import sn.wolo.donation.api.PublicDonorPage;
import sn.wolo.notification.api.Notifications;
import sn.wolo.notification.api.OutgoingMessage;
import sn.wolo.platform.Times;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.phone.PhoneNumbers;
import sn.wolo.platform.security.Tokens;
import sn.wolo.pot.api.PotStatus;
import sn.wolo.pot.api.PublicPotPage;
import sn.wolo.profile.api.Profiles;

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
  private final Profiles profiles;
  private final Donations donations;
  private final Notifications notifications;
  private final Pool pool;
  private final Clock clock;
  private final PotSettings settings;
  private final PotRepository repo;

  PotSharing(Vertx vertx, Pool pool, Clock clock, PotSettings settings, PotRepository repo) {
    this.vertx = vertx;
    this.profiles = TypedBus.proxy(vertx, Profiles.class);
    this.donations = TypedBus.proxy(vertx, Donations.class);
    this.notifications = TypedBus.proxy(vertx, Notifications.class);
    this.pool = pool;
    this.clock = clock;
    this.settings = settings;
    this.repo = repo;
  }

  /** {@code {"method","recipient","message"}} → {@code {"id","link"}}; delivered by the notification domain. */
  Future<JsonObject> invite(UUID potId, UUID caller, JsonObject body) {
    String method = String.valueOf(body.getValue("method"));
    if (!METHODS.contains(method)) throw DomainException.invalid("invalid_method", "method is one of " + METHODS);
    String recipient = recipient(method, body.getValue("recipient"));
    Object m = body.getValue("message");
    if (m != null && (!(m instanceof String s) || s.length() > 500)) throw DomainException.invalid("invalid_message", "message has at most 500 characters.");
    String message = (String) m;
    OffsetDateTime now = Times.now(clock);
    OffsetDateTime dayStart = Times.dakarMidnight(Times.dakarToday(clock));
    String token = Tokens.random256();
    String link = settings.publicBaseUrl() + "/p/" + potId + "?t=" + token;
    return pool.withTransaction(tx -> repo.findForUpdate(tx, potId).compose(found -> {
      Row pot = found.filter(r -> r.getUUID("owner_user_id").equals(caller))
          .orElseThrow(() -> DomainException.notFound("pot_not_found", "No such pot."));
      if (PotStatus.of(pot.getString("status")).isOver()) throw DomainException.conflict("pot_closed", "This pot is closed.");
      return repo.invitationsSince(tx, potId, dayStart).compose(count -> {
        if (count >= settings.invitationsPerDay()) {
          throw new DomainException(ErrorKind.RATE_LIMITED, "invitation_limit", "This pot has sent its " + settings.invitationsPerDay()
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
            .put("link", settings.publicBaseUrl() + "/p/" + id + "?t=" + token))
        .orElseThrow(() -> DomainException.notFound("invitation_not_found", "This invitation link is not valid.")));
  }

  /** The donation page marks the click (the donations domain calls {@code wolo.pot.invitation-clicked}). */
  Future<Void> clicked(String token) {
    return repo.clickInvitation(pool, Tokens.sha256(token), Times.now(clock)).mapEmpty();
  }

  /** The public page: visibility, owner's display name, progress, masked donor list, messages when enabled. */
  Future<PublicPotPage> publicPage(UUID potId, String token, String cursor, int limit) {
    return repo.find(pool, potId).compose(found -> {
      Row pot = found.orElseThrow(PotSharing::notFound);
      Future<Boolean> visible = "public".equals(pot.getString("visibility")) ? Future.succeededFuture(true)
          : token == null || token.isBlank() ? Future.succeededFuture(false) : repo.tokenOpensPot(pool, potId, Tokens.sha256(token));
      return visible.compose(ok -> {
        if (!ok) return Future.failedFuture(notFound());
        vertx.eventBus().send(PotVerticle.COUNTED, new JsonObject().put("pot_id", potId.toString()).put("views", 1));
        Future<PotDonationTotals> totals = donations.totals(potId);
        Future<PublicDonorPage> donors = donations.publicList(potId, cursor, limit, pot.getBoolean("show_donor_names"),
            pot.getBoolean("enable_messages"));
        Future<String> owner = profiles.get(pot.getUUID("owner_user_id")).map(p -> displayName(p.fullName())).recover(e -> Future.succeededFuture("Un ami WOLO"));
        return Future.all(totals, donors, owner).map(v -> {
          long credit = pot.getLong("referral_credit_cfa");
          long raised = totals.result().raisedCfa() + credit;   // donations, plus the owner's converted points
          int target = pot.getInteger("target_amount_cfa");
          return new PublicPotPage(potId, pot.getString("title"), pot.getString("description"), owner.result(), PotStatus.of(pot.getString("status")),
              pot.getLocalDate("birthday_date"), pot.getString("cover_image_url"), pot.getBoolean("allow_anonymous_donations"),
              pot.getBoolean("enable_messages"), new PublicPotPage.Progress(raised, credit, target, (int) Math.min(100, raised * 100 / target),
                  totals.result().donors()), donors.result().donors(), donors.result().nextCursor());
        });
      });
    });
  }

  private Future<Void> deliver(String method, String recipient, UUID caller, JsonObject created, String message) {
    if ("social".equals(method)) return Future.succeededFuture();   // the app shares the link itself
    return profiles.get(caller).map(p -> displayName(p.fullName())).recover(e -> Future.succeededFuture("Un ami"))
        .compose(owner -> notifications.send(new OutgoingMessage("pot_invitation", method, recipient, null, OutgoingMessage.data(
            "owner_name", owner, "pot_title", created.getString("title"), "message", message == null ? "" : message,
            "link", created.getString("link")), "pot_invitation:" + created.getString("id"))))
        .mapEmpty();
  }

  private static String recipient(String method, Object value) {
    if (!(value instanceof String s) || s.isBlank() || s.length() > 255) throw DomainException.invalid("invalid_recipient", "recipient is required.");
    return switch (method) {
      case "sms", "whatsapp" -> PhoneNumbers.normalise(s);
      case "email" -> {
        String e = s.trim().toLowerCase(Locale.ROOT);
        if (!e.matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]{2,}$")) throw DomainException.invalid("invalid_recipient", "recipient is an email address.");
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

  private static DomainException notFound() {
    return DomainException.notFound("pot_not_found", "No such pot.");
  }
}
