package sn.wolo.donation;

import io.vertx.core.json.JsonObject;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.phone.PhoneNumbers;
import sn.wolo.platform.validation.Violations;

import java.util.UUID;

/** A validated donation request. Amounts are whole francs: 1500.5 or "1500" are refused, not rounded. */
record DonationInput(UUID potId, long amount, UUID donorUserId, String donorName, String donorPhone, String message,
                     boolean anonymous, boolean showAmount, String ip, String userAgent) {

  static final java.util.Set<String> FIELDS = java.util.Set.of("amount_cfa", "donor_name", "donor_phone", "message", "is_anonymous", "show_amount");

  static DonationInput parse(JsonObject req, DonationSettings settings) {
    UUID pot;
    try {
      pot = UUID.fromString(req.getString("pot_id"));
    } catch (RuntimeException e) {
      throw DomainException.notFound("pot_not_found", "No such pot.");
    }
    JsonObject b = req.getJsonObject("donation", new JsonObject());
    // A misspelt flag ("anonymous" for "is_anonymous") must not silently make a named donation.
    sn.wolo.platform.validation.BodyFields.of(b, FIELDS);
    Violations violations = new Violations();
    Long amount = violations.field("amount_cfa", () -> {
      Object a = b.getValue("amount_cfa");
      int min = settings.minCfa();
      int max = settings.maxCfa();
      if (!(a instanceof Integer || a instanceof Long) || ((Number) a).longValue() < min || ((Number) a).longValue() > max) {
        throw DomainException.invalid("invalid_amount_cfa", "amount_cfa is a whole number of francs from " + min + " to " + max + ".");
      }
      return ((Number) a).longValue();
    });
    String name = violations.field("donor_name", () -> text(b, "donor_name", 100));
    String message = violations.field("message", () -> text(b, "message", 500));
    String phone = violations.field("donor_phone", () -> b.getValue("donor_phone") == null ? null
        : PhoneNumbers.normalise(String.valueOf(b.getValue("donor_phone"))));
    Boolean anonymous = violations.field("is_anonymous", () -> flag(b, "is_anonymous", false));
    Boolean showAmount = violations.field("show_amount", () -> flag(b, "show_amount", true));
    violations.throwIfAny();
    String user = req.getString("donor_user_id");
    String ua = req.getString("user_agent");
    return new DonationInput(pot, amount, user == null ? null : UUID.fromString(user), name, phone, message,
        anonymous, showAmount, req.getString("ip"), ua == null ? null : ua.substring(0, Math.min(ua.length(), 500)));
  }

  private static String text(JsonObject b, String field, int max) {
    Object v = b.getValue(field);
    if (v == null) return null;
    if (!(v instanceof String s) || s.length() > max) throw DomainException.invalid("invalid_" + field, field + " is text of at most " + max + " characters.");
    return s.isBlank() ? null : s.trim();
  }

  private static boolean flag(JsonObject b, String field, boolean dflt) {
    Object v = b.getValue(field);
    if (v == null) return dflt;
    if (!(v instanceof Boolean x)) throw DomainException.invalid("invalid_" + field, field + " is true or false.");
    return x;
  }
}
