package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.identity.IdentityVerticle;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.pot.PotVerticle;


/**
 * Messages the product sends when something happens elsewhere: J-30 opening, funded and closed
 * pots to their owner; a donation to the owner (and a thank-you to a logged-in donor). Each is
 * queued with dedupe key {@code <event id>:<template>:<user>}, so a redelivered event sends nothing
 * more.
 */
final class EventReactions {

  private static final Logger log = LoggerFactory.getLogger(EventReactions.class);
  private final Vertx vertx;

  EventReactions(Vertx vertx) {
    this.vertx = vertx;
  }

  void register() {
    on("pot.opened", e -> pot(e).compose(pot -> toUser(e, pot.getString("owner_user_id"), "pot_opened", new JsonObject()
        .put("pot_title", pot.getString("title")).put("birthday", pot.getString("birthday_date")).put("link", link(pot)))));
    on("pot.funded", e -> pot(e).compose(pot -> toUser(e, pot.getString("owner_user_id"), "pot_funded", new JsonObject()
        .put("pot_title", pot.getString("title")).put("target", pot.getInteger("target_amount_cfa")))));
    on("pot.closed", e -> pot(e).compose(pot -> toUser(e, pot.getString("owner_user_id"), "pot_closed", new JsonObject()
        .put("pot_title", pot.getString("title")).put("raised", pot.getLong("raised_cfa")))));
    on("donation.succeeded", e -> pot(e).compose(pot -> {
      boolean anonymous = e.payload().getBoolean("is_anonymous", false);
      Future<Void> owner = toUser(e, pot.getString("owner_user_id"), "donation_received", new JsonObject()
          .put("donor_name", anonymous ? "Un donateur anonyme" : "Un proche").put("pot_title", pot.getString("title"))
          .put("amount", e.payload().getInteger("amount_cfa")).put("raised", pot.getLong("raised_cfa") + e.payload().getInteger("amount_cfa")));
      String donor = e.payload().getString("donor_user_id");
      return donor == null ? owner : owner.compose(v -> toUser(e, donor, "donation_thank_you", new JsonObject()
          .put("amount", e.payload().getInteger("amount_cfa")).put("owner_name", "votre proche")));
    }));
  }

  private void on(String type, java.util.function.Function<DomainEvent, Future<Void>> reaction) {
    vertx.eventBus().<JsonObject>consumer(Addresses.event(type), msg -> {
      DomainEvent e = DomainEvent.fromJson(msg.body());
      reaction.apply(e).onFailure(err -> log.warn("no {} notification for event {}: {}", type, e.eventId(), err.toString()));
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
      return Bus.call(vertx, NotificationVerticle.SEND, new JsonObject().put("template_key", template)
              .put("channel", phone != null ? "sms" : "email").put("recipient", phone != null ? phone : email)
              .put("user_id", userId).put("data", data).put("dedupe_key", e.eventId() + ":" + template + ":" + userId))
          .mapEmpty();
    });
  }

  private static String link(JsonObject pot) {
    return "/p/" + pot.getString("id");
  }
}
