package sn.wolo.pot;

import io.vertx.core.json.JsonObject;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.validation.Violations;

import java.util.Set;

/** Validation of what owners write into a pot. */
final class PotInput {

  static final Set<String> VISIBILITIES = Set.of("private", "public", "friends_only");
  static final Set<String> FIELDS = Set.of("title", "description", "target_amount_cfa", "visibility", "allow_anonymous_donations",
      "show_donor_names", "enable_messages", "cover_image_url");

  private PotInput() {
  }

  /** A full creation request, defaults applied; every invalid field is reported at once. */
  static JsonObject forCreate(JsonObject body, PotSettings settings) {
    JsonObject out = new JsonObject()
        .put("visibility", "private").put("allow_anonymous_donations", true).put("show_donor_names", true)
        .put("enable_messages", true).put("description", null).put("cover_image_url", null);
    Violations violations = new Violations();
    violations.check("title", () -> {
      if (!body.containsKey("title")) throw DomainException.invalid("invalid_title", "title is required.");
    });
    violations.check("target_amount_cfa", () -> {
      if (!body.containsKey("target_amount_cfa")) throw DomainException.invalid("invalid_target_amount_cfa", "target_amount_cfa is required.");
    });
    return out.mergeIn(validated(body, settings, violations));
  }

  /** Only the given fields, validated; every invalid field is reported at once. */
  static JsonObject forPatch(JsonObject body, PotSettings settings) {
    return validated(body, settings, new Violations());
  }

  private static JsonObject validated(JsonObject body, PotSettings settings, Violations violations) {
    sn.wolo.platform.validation.BodyFields.of(body, FIELDS);   // unknown or misspelt fields are refused, not ignored
    JsonObject out = new JsonObject();
    if (body.containsKey("title")) violations.check("title", () -> {
      if (!(body.getValue("title") instanceof String t) || t.isBlank() || t.length() > 255) {
        throw DomainException.invalid("invalid_title", "title has 1 to 255 characters.");
      }
      out.put("title", t.trim());
    });
    if (body.containsKey("description")) violations.check("description", () -> {
      Object d = body.getValue("description");
      if (d != null && (!(d instanceof String s) || s.length() > 2000)) {
        throw DomainException.invalid("invalid_description", "description has at most 2000 characters.");
      }
      out.put("description", d);
    });
    if (body.containsKey("target_amount_cfa")) violations.check("target_amount_cfa", () -> {
      Object v = body.getValue("target_amount_cfa");
      int min = settings.minTargetCfa();
      int max = settings.maxTargetCfa();
      // Whole francs only: 1500.5 or "1500" are refused, not rounded.
      if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
        throw DomainException.invalid("invalid_target_amount_cfa", "target_amount_cfa is a whole number of francs from " + min + " to " + max + ".");
      }
      out.put("target_amount_cfa", ((Number) v).intValue());
    });
    if (body.containsKey("visibility")) violations.check("visibility", () -> {
      if (!VISIBILITIES.contains(String.valueOf(body.getValue("visibility")))) {
        throw DomainException.invalid("invalid_visibility", "visibility is one of " + VISIBILITIES);
      }
      out.put("visibility", body.getString("visibility"));
    });
    for (String flag : new String[] {"allow_anonymous_donations", "show_donor_names", "enable_messages"}) {
      if (body.containsKey(flag)) violations.check(flag, () -> {
        if (!(body.getValue(flag) instanceof Boolean b)) throw DomainException.invalid("invalid_" + flag, flag + " is true or false.");
        out.put(flag, b);
      });
    }
    if (body.containsKey("cover_image_url")) violations.check("cover_image_url", () -> {
      Object u = body.getValue("cover_image_url");
      if (u != null && (!(u instanceof String s) || !s.startsWith("https://") || s.length() > 500)) {
        throw DomainException.invalid("invalid_cover_image_url", "cover_image_url is an https URL of at most 500 characters.");
      }
      out.put("cover_image_url", u);
    });
    violations.throwIfAny();
    return out;
  }

}
