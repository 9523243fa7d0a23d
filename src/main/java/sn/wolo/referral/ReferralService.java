package sn.wolo.referral;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import sn.wolo.identity.api.Accounts;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.phone.PhoneNumbers;
import sn.wolo.platform.validation.BodyFields;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a sponsor sends, checked: contacts ({@code [{"name","phone"}]}, 1 to 50, Senegalese mobiles;
 * others are dropped), from one of the sponsor's batches when {@code batch_id} is given. Skipped
 * silently: the sponsor's own number, duplicates, people who already have an account (they cannot
 * be referred; this also covers whoever turned {@code allow_contact_by_sponsors} off) and people the
 * sponsor already invited.
 */
final class ReferralService {

  static final Set<String> CHANNELS = Set.of("sms", "whatsapp");
  private static final Set<String> SEND_FIELDS = Set.of("batch_id", "contacts", "channel");

  private final Vertx vertx;
  private final Accounts accounts;
  private final SponsorCodes codes;
  private final ContactBatches batches;
  private final Invitations invitations;

  ReferralService(Vertx vertx, SponsorCodes codes, ContactBatches batches, Invitations invitations) {
    this.vertx = vertx;
    this.accounts = TypedBus.proxy(vertx, Accounts.class);
    this.codes = codes;
    this.batches = batches;
    this.invitations = invitations;
  }

  Future<JsonObject> upload(UUID sponsor, JsonArray raw) {
    Contacts c = Contacts.read(raw);
    if (c.valid().isEmpty()) throw DomainException.invalid("invalid_contacts", "No contact has a valid Senegalese mobile number.");
    return batches.upload(sponsor, c.valid()).map(batch -> batch.put("rejected", c.rejected()));
  }

  Future<JsonObject> send(UUID sponsor, JsonObject body) {
    BodyFields f = BodyFields.collecting(body, SEND_FIELDS);   // every invalid field is reported at once
    String channel = f.oneOf("channel", CHANNELS, true);
    UUID batchId = f.uuid("batch_id", false);
    JsonArray raw = f.array("contacts", 50, true);
    Contacts c = raw == null ? null : f.rule("contacts", () -> Contacts.read(raw));
    f.throwIfInvalid();
    Future<Set<Object>> allowed = batchId == null ? Future.succeededFuture(null) : batches.phones(sponsor, batchId).map(a -> Set.copyOf(a.getList()));
    return allowed.compose(inBatch -> {
      if (inBatch != null && c.valid().stream().anyMatch(o -> !inBatch.contains(((JsonObject) o).getString("phone")))) {
        throw DomainException.invalid("contact_not_in_batch", "Every contact sent with batch_id comes from that batch.");
      }
      return accounts.getUser(sponsor);
    }).compose(me -> withoutAccounts(c.valid(), me.phone())).compose(fresh -> codes.of(sponsor)
        .compose(code -> invitations.send(sponsor, code, fresh, batchId, channel, c.valid().size() - fresh.size())))
        .recover(e -> Future.failedFuture(e.getMessage() != null && e.getMessage().contains("uq_referrals_pending_per_sponsor")
            ? DomainException.conflict("already_invited", "One of these contacts was just invited by you.") : e));
  }

  /** Contacts minus the sponsor and anyone who already has an account (one identity query for the batch). */
  private Future<JsonArray> withoutAccounts(JsonArray contacts, String sponsorPhone) {
    List<String> phones = new java.util.ArrayList<>();
    contacts.forEach(o -> phones.add(((JsonObject) o).getString("phone")));
    return accounts.existingPhones(phones).map(found -> {
      Set<String> existing = Set.copyOf(found.existing());
      JsonArray out = new JsonArray();
      contacts.forEach(o -> {
        String phone = ((JsonObject) o).getString("phone");
        if (!phone.equals(sponsorPhone) && !existing.contains(phone)) out.add(o);
      });
      return out;
    });
  }

  /** Contacts normalised (E.164 Senegalese mobiles, names trimmed to 100), deduplicated; the rest counted as rejected. */
  record Contacts(JsonArray valid, int rejected) {

    static Contacts read(JsonArray raw) {
      if (raw == null || raw.isEmpty() || raw.size() > 50) throw DomainException.invalid("invalid_contacts", "Send 1 to 50 contacts.");
      Map<String, JsonObject> byPhone = new LinkedHashMap<>();
      int rejected = 0;
      for (Object o : raw) {
        if (!(o instanceof JsonObject contact)) throw DomainException.invalid("invalid_contacts", "Each contact is {\"name\",\"phone\"}.");
        BodyFields f = BodyFields.of(contact, Set.of("name", "phone"));
        String name = f.has("name") ? f.text("name", 100, false) : null;
        String phone = contact.getValue("phone") instanceof String s ? s : null;
        try {
          String e164 = PhoneNumbers.normaliseMobile(phone, Set.of("SN"));
          byPhone.putIfAbsent(e164, new JsonObject().put("name", name).put("phone", e164));
        } catch (DomainException e) {
          rejected++;
        }
      }
      return new Contacts(new JsonArray(new ArrayList<>(byPhone.values())), rejected);
    }
  }
}
