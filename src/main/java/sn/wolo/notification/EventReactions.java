package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import sn.wolo.donation.api.Donations;
import sn.wolo.identity.api.Accounts;
import sn.wolo.identity.api.UserAccount;
import sn.wolo.notification.api.Notifications;
import sn.wolo.notification.api.OutgoingMessage;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.pot.api.PotView;
import sn.wolo.pot.api.Pots;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Messages the product sends when something happens elsewhere: J-30 opening, funded and closed
 * pots to their owner; a credited donation to the owner (with the total the pot domain computed,
 * carried by {@code pot.credited}) and a thank-you to the donor (an account, or a guest who left a
 * phone). A durable consumer delivers the events; each message is queued with dedupe key
 * {@code <event id>:<template>:<recipient>}, so a redelivered event sends nothing more.
 *
 * <p>A lane's events are handled together ({@link #handleAll}): one pot's in order, different pots
 * at once, the lane they share (a pot's title, a user's contact, their devices) made once, and
 * their messages queued in one call at the end (a burst's credits to one owner: one digest addition).
 */
final class EventReactions {

  static final String CONSUMER = "notification.reactions";
  static final Set<String> EVENTS = Set.of("pot.opened", "pot.funded", "pot.closed", "pot.credited", "gift.converted",
      "gift.choice_needed");

  private final Pots pots;
  private final Accounts accounts;
  private final Donations donations;
  private final Notifications notifications;
  private final String publicBaseUrl;
  private final Devices devices;

  EventReactions(Vertx vertx, String publicBaseUrl, Devices devices) {
    this.devices = devices;
    this.pots = TypedBus.proxy(vertx, Pots.class);
    this.accounts = TypedBus.proxy(vertx, Accounts.class);
    this.donations = TypedBus.proxy(vertx, Donations.class);
    this.notifications = TypedBus.proxy(vertx, Notifications.class);
    this.publicBaseUrl = publicBaseUrl;
  }

  /**
   * What a lane's events share: what they would each look up, read once for all of them (a burst
   * credits many pots: their titles, owners, donors and devices in one read each), and the messages
   * they produce, queued together at the end.
   */
  private final class Lane {
    private final List<OutgoingMessage> messages = new ArrayList<>();
    private final Map<UUID, Future<String>> potTitles = new HashMap<>();
    private final Map<UUID, Future<UserAccount>> users = new HashMap<>();
    private final Map<UUID, Future<List<UUID>>> devices = new HashMap<>();
    private final Future<Map<UUID, String>> guestPhones;

    /** Reads ahead what the lane's credits need: their pots' titles, owners and donors with accounts, guests' phones. */
    Lane(List<DomainEvent> events) {
      Set<UUID> pots = new HashSet<>();
      Set<UUID> people = new HashSet<>();
      List<UUID> guestDonations = new ArrayList<>();
      for (DomainEvent e : events) {
        if (!"pot.credited".equals(e.type())) continue;
        JsonObject p = e.payload();
        pots.add(uuid(p.getString("pot_id")));
        people.add(uuid(p.getString("owner_user_id")));
        if (p.getString("donor_user_id") != null) people.add(uuid(p.getString("donor_user_id")));
        else guestDonations.add(uuid(p.getString("donation_id")));
      }
      guestPhones = guestDonations.isEmpty() ? Future.succeededFuture(Map.of()) : donations.donorsOf(guestDonations).map(found -> {
        Map<UUID, String> phones = new HashMap<>();
        found.donors().forEach(d -> {
          if (d.donorPhone() != null) phones.put(d.donationId(), d.donorPhone());
        });
        return phones;
      });
      if (!pots.isEmpty()) {
        readAhead(pots, EventReactions.this.pots.titles(List.copyOf(pots)).map(found -> {
          Map<UUID, String> byId = new HashMap<>();
          found.pots().forEach(t -> byId.put(t.potId(), t.title()));
          return byId;
        }), id -> EventReactions.this.pots.get(id, null, false).map(PotView::title), potTitles);
      }
      if (!people.isEmpty()) {
        readAhead(people, EventReactions.this.accounts.getUsers(List.copyOf(people)).map(found -> {
          Map<UUID, UserAccount> byId = new HashMap<>();
          found.accounts().forEach(a -> byId.put(a.userId(), a));
          return byId;
        }), EventReactions.this.accounts::getUser, users);
        Future<Map<UUID, List<UUID>>> theirDevices = EventReactions.this.devices.idsOf(people);
        people.forEach(id -> devices.put(id, theirDevices.map(byUser -> byUser.getOrDefault(id, List.of()))));
      }
    }

    /**
     * Each id's value from one read for all — or asked alone when that read left it out (a pot or an
     * account gone meanwhile), which then fails as it would have.
     */
    private static <T> void readAhead(Set<UUID> ids, Future<Map<UUID, T>> all, java.util.function.Function<UUID, Future<T>> alone,
                                      Map<UUID, Future<T>> into) {
      ids.forEach(id -> into.put(id, all.compose(found -> found.containsKey(id) ? Future.succeededFuture(found.get(id)) : alone.apply(id))));
    }

    /** For its title only: the totals in a message come from the event, never from a view of the pot. */
    Future<String> potTitle(UUID potId) {
      return potTitles.computeIfAbsent(potId, id -> pots.get(id, null, false).map(PotView::title));
    }

    /** The phone a guest donor left, or null. */
    Future<String> guestPhone(UUID donationId) {
      return guestPhones.map(phones -> phones.get(donationId));
    }

    Future<UserAccount> user(UUID userId) {
      return users.computeIfAbsent(userId, accounts::getUser);
    }

    Future<List<UUID>> devices(UUID userId) {
      return devices.computeIfAbsent(userId, EventReactions.this.devices::ids);
    }

    Future<Void> queue(OutgoingMessage message) {
      messages.add(message);
      return Future.succeededFuture();
    }

    Future<Void> sendQueued() {
      return messages.isEmpty() ? Future.succeededFuture() : notifications.sendAll(List.copyOf(messages));
    }
  }

  /**
   * A lane's events: grouped by pot, each group in order, the groups at once. Completes when every
   * group is done; fails if any failed (the consumer then retries the events one by one, and the
   * dedupe keys make the messages already queued no-ops).
   */
  Future<Void> handleAll(List<DomainEvent> events) {
    Lane lane = new Lane(events);
    Map<String, List<DomainEvent>> byPot = new LinkedHashMap<>();
    for (DomainEvent e : events) {
      String pot = e.payload().getString("pot_id");
      byPot.computeIfAbsent(pot != null ? pot : e.aggregateId(), k -> new ArrayList<>()).add(e);
    }
    List<Future<Void>> groups = new ArrayList<>();
    for (List<DomainEvent> group : byPot.values()) {
      Future<Void> chain = Future.succeededFuture();
      for (DomainEvent e : group) chain = chain.compose(v -> handle(e, lane));
      groups.add(chain);
    }
    return Future.join(groups).compose(v -> lane.sendQueued());
  }

  private Future<Void> handle(DomainEvent e, Lane lane) {
    return switch (e.type()) {
      case "pot.opened" -> pot(e).compose(pot -> toUser(e, lane, pot.ownerUserId(), "pot_opened", OutgoingMessage.data(
          "pot_title", pot.title(), "birthday", pot.birthdayDate().toString(), "link", publicBaseUrl + "/p/" + pot.id())));
      case "pot.funded" -> pot(e).compose(pot -> toUser(e, lane, pot.ownerUserId(), "pot_funded", OutgoingMessage.data(
          "pot_title", pot.title(), "target", pot.targetAmountCfa())));
      case "pot.closed" -> pot(e).compose(pot -> toUser(e, lane, pot.ownerUserId(), "pot_closed", OutgoingMessage.data(
          "pot_title", pot.title(), "raised", pot.raisedCfa())));
      case "pot.credited" -> credited(e, lane);
      // The QR token never travels in a message: the owner opens the app to show it.
      case "gift.converted" -> toUser(e, lane, uuid(e.payload().getString("owner_user_id")), "qr_issued", OutgoingMessage.data(
          "pack_name", e.payload().getString("pack_name"), "partner_name", e.payload().getString("partner_name"),
          "expires", java.time.Instant.parse(e.payload().getString("expires_at")).atZone(sn.wolo.platform.Times.DAKAR).toLocalDate().toString()));
      case "gift.choice_needed" -> pot(e).compose(pot -> toUser(e, lane, uuid(e.payload().getString("owner_user_id")), "gift_choice_needed",
          OutgoingMessage.data("pot_title", pot.title(), "raised", pot.raisedCfa(), "reason", e.payload().getString("reason"))));
      default -> Future.succeededFuture();
    };
  }

  /** The owner hears of the donation with the total after it (from the event, never recomputed); the donor is thanked. */
  private Future<Void> credited(DomainEvent e, Lane lane) {
    JsonObject p = e.payload();
    boolean anonymous = p.getBoolean("is_anonymous", false);
    String donorName = p.getString("donor_name");
    return lane.potTitle(uuid(p.getString("pot_id"))).compose(title -> toUser(e, lane, uuid(p.getString("owner_user_id")),
            "donation_received", OutgoingMessage.data(
            "donor_name", anonymous ? "Un donateur anonyme" : donorName != null && !donorName.isBlank() ? donorName : "Un proche",
            "pot_title", title, "amount", p.getLong("amount_cfa"), "raised", p.getLong("raised_after_cfa")))
        .compose(v -> thankDonor(e, lane)));
  }

  private Future<Void> thankDonor(DomainEvent e, Lane lane) {
    Map<String, Object> thanks = OutgoingMessage.data("amount", e.payload().getLong("amount_cfa"), "owner_name", "votre proche");
    String donor = e.payload().getString("donor_user_id");
    if (donor != null) return toUser(e, lane, uuid(donor), "donation_thank_you", thanks);
    return lane.guestPhone(uuid(e.payload().getString("donation_id"))).compose(phone -> phone == null
        ? Future.<Void>succeededFuture() : send(e, lane, "donation_thank_you", "sms", phone, null, thanks));
  }

  private Future<PotView> pot(DomainEvent e) {
    return pots.get(uuid(e.payload().getString("pot_id")), null, false);
  }

  /** Sends by SMS when the user has a phone, by email otherwise, and a push to each of their devices. */
  private Future<Void> toUser(DomainEvent e, Lane lane, UUID userId, String template, Map<String, Object> data) {
    return lane.user(userId).compose(user -> {
      Future<Void> direct = user.phone() == null && user.email() == null ? Future.succeededFuture()
          : send(e, lane, template, user.phone() != null ? "sms" : "email", user.phone() != null ? user.phone() : user.email(), userId, data);
      return direct.compose(v -> lane.devices(userId)).compose(ids -> {
        Future<Void> pushes = Future.succeededFuture();
        for (UUID device : ids) {
          pushes = pushes.compose(v -> send(e, lane, template, "push", "device:" + device, userId, data));
        }
        return pushes;
      });
    });
  }

  private Future<Void> send(DomainEvent e, Lane lane, String template, String channel, String recipient, UUID userId,
                            Map<String, Object> data) {
    String who = "push".equals(channel) ? recipient : userId != null ? userId.toString() : "guest";
    return lane.queue(new OutgoingMessage(template, channel, recipient, userId, data, e.eventId() + ":" + template + ":" + who));
  }

  private static UUID uuid(String value) {
    return UUID.fromString(value);
  }
}
