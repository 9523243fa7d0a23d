package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import sn.wolo.donation.DonationVerticle;
import sn.wolo.identity.IdentityVerticle;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.pot.PotVerticle;

import java.util.Set;


/**
 * Messages the product sends when something happens elsewhere: J-30 opening, funded and closed
 * pots to their owner; a credited donation to the owner (with the total the pot domain computed,
 * carried by {@code pot.credited}) and a thank-you to the donor (an account, or a guest who left a
 * phone). A durable consumer delivers the events; each message is queued with dedupe key
 * {@code <event id>:<template>:<recipient>}, so a redelivered event sends nothing more.
 */
final class EventReactions {

  static final String CONSUMER = "notification.reactions";
  static final Set<String> EVENTS = Set.of("pot.opened", "pot.funded", "pot.closed", "pot.credited", "gift.converted",
      "gift.choice_needed");

  private final Vertx vertx;
  private final String publicBaseUrl;

  EventReactions(Vertx vertx, String publicBaseUrl) {
    this.vertx = vertx;
    this.publicBaseUrl = publicBaseUrl;
  }

  Future<Void> handle(DomainEvent e) {
    return switch (e.type()) {
      case "pot.opened" -> pot(e).compose(pot -> toUser(e, pot.getString("owner_user_id"), "pot_opened", new JsonObject()
          .put("pot_title", pot.getString("title")).put("birthday", pot.getString("birthday_date"))
          .put("link", publicBaseUrl + "/p/" + pot.getString("id"))));
      case "pot.funded" -> pot(e).compose(pot -> toUser(e, pot.getString("owner_user_id"), "pot_funded", new JsonObject()
          .put("pot_title", pot.getString("title")).put("target", pot.getInteger("target_amount_cfa"))));
      case "pot.closed" -> pot(e).compose(pot -> toUser(e, pot.getString("owner_user_id"), "pot_closed", new JsonObject()
          .put("pot_title", pot.getString("title")).put("raised", pot.getLong("raised_cfa"))));
      case "pot.credited" -> credited(e);
      // The QR token never travels in a message: the owner opens the app to show it.
      case "gift.converted" -> toUser(e, e.payload().getString("owner_user_id"), "qr_issued", new JsonObject()
          .put("pack_name", e.payload().getString("pack_name")).put("partner_name", e.payload().getString("partner_name"))
          .put("expires", java.time.Instant.parse(e.payload().getString("expires_at")).atZone(sn.wolo.platform.Times.DAKAR).toLocalDate().toString()));
      case "gift.choice_needed" -> pot(e).compose(pot -> toUser(e, e.payload().getString("owner_user_id"), "gift_choice_needed", new JsonObject()
          .put("pot_title", pot.getString("title")).put("raised", pot.getLong("raised_cfa")).put("reason", e.payload().getString("reason"))));
      default -> Future.succeededFuture();
    };
  }

  /** The owner hears of the donation with the total after it (from the event, never recomputed); the donor is thanked. */
  private Future<Void> credited(DomainEvent e) {
    JsonObject p = e.payload();
    boolean anonymous = p.getBoolean("is_anonymous", false);
    String donorName = p.getString("donor_name");
    return pot(e).compose(pot -> toUser(e, p.getString("owner_user_id"), "donation_received", new JsonObject()
            .put("donor_name", anonymous ? "Un donateur anonyme" : donorName != null && !donorName.isBlank() ? donorName : "Un proche")
            .put("pot_title", pot.getString("title"))
            .put("amount", p.getLong("amount_cfa")).put("raised", p.getLong("raised_after_cfa")))
        .compose(v -> thankDonor(e, pot)));
  }

  private Future<Void> thankDonor(DomainEvent e, JsonObject pot) {
    JsonObject thanks = new JsonObject().put("amount", e.payload().getLong("amount_cfa")).put("owner_name", "votre proche");
    String donor = e.payload().getString("donor_user_id");
    if (donor != null) return toUser(e, donor, "donation_thank_you", thanks);
    return Bus.call(vertx, DonationVerticle.address("donor-contact"), new JsonObject().put("donation_id", e.payload().getString("donation_id")))
        .compose(contact -> {
          String phone = contact.getString("donor_phone");
          return phone == null ? Future.<Void>succeededFuture() : send(e, "donation_thank_you", "sms", phone, null, thanks);
        });
  }

  private Future<JsonObject> pot(DomainEvent e) {
    return Bus.call(vertx, PotVerticle.address("get"), new JsonObject().put("pot_id", e.payload().getString("pot_id")));
  }

  /** Sends by SMS when the user has a phone, by email otherwise. */
  private Future<Void> toUser(DomainEvent e, String userId, String template, JsonObject data) {
    return Bus.call(vertx, IdentityVerticle.address("get-user"), new JsonObject().put("user_id", userId)).compose(user -> {
      String phone = user.getString("phone");
      String email = user.getString("email");
      if (phone == null && email == null) return Future.succeededFuture();
      return send(e, template, phone != null ? "sms" : "email", phone != null ? phone : email, userId, data);
    });
  }

  private Future<Void> send(DomainEvent e, String template, String channel, String recipient, String userId, JsonObject data) {
    String who = userId != null ? userId : "guest";
    return Bus.call(vertx, NotificationVerticle.SEND, new JsonObject().put("template_key", template)
            .put("channel", channel).put("recipient", recipient)
            .put("user_id", userId).put("data", data).put("dedupe_key", e.eventId() + ":" + template + ":" + who))
        .mapEmpty();
  }
}
