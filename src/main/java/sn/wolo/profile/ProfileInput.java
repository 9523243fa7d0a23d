package sn.wolo.profile;

import io.vertx.core.json.JsonObject;
import sn.wolo.platform.errors.DomainException;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Validation of the profile fields a user may write. */
final class ProfileInput {

  static final Set<String> RELATIONSHIPS = Set.of("parent", "guardian", "sibling", "other");
  static final Set<String> LOCALES = Set.of("fr-SN", "wo-SN", "en-SN", "fr", "en");

  private ProfileInput() {
  }

  static String fullName(Object value) {
    if (!(value instanceof String s) || s.isBlank() || s.trim().length() > 255) {
      throw DomainException.invalid("invalid_full_name", "full_name is required (1 to 255 characters).");
    }
    return s.trim();
  }

  static LocalDate dateOfBirth(Object value, Clock clock) {
    if (!(value instanceof String s)) throw DomainException.invalid("invalid_date_of_birth", "date_of_birth is required (YYYY-MM-DD).");
    try {
      LocalDate d = LocalDate.parse(s);
      if (!d.isBefore(Ages.today(clock)) || d.isBefore(LocalDate.of(1900, 1, 2))) {
        throw DomainException.invalid("invalid_date_of_birth", "date_of_birth must be in the past.");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw DomainException.invalid("invalid_date_of_birth", "date_of_birth must be a date (YYYY-MM-DD).");
    }
  }

  static String relationship(Object value) {
    String r = value instanceof String s ? s : "parent";
    if (!RELATIONSHIPS.contains(r)) throw DomainException.invalid("invalid_relationship_type", "relationship_type is one of " + RELATIONSHIPS);
    return r;
  }

  /** Optional fields of PUT /v1/me/profile, validated; absent keys are left out. */
  static JsonObject optionalFields(JsonObject body) {
    JsonObject out = new JsonObject();
    if (body.containsKey("locale")) {
      String l = body.getValue("locale") instanceof String s ? s : "";
      if (!LOCALES.contains(l)) throw DomainException.invalid("invalid_locale", "locale is one of " + LOCALES);
      out.put("locale", l);
    }
    if (body.containsKey("timezone")) {
      String tz = body.getValue("timezone") instanceof String s ? s : "";
      try {
        ZoneId.of(tz);
      } catch (RuntimeException e) {
        throw DomainException.invalid("invalid_timezone", "timezone must be an IANA zone such as Africa/Dakar.");
      }
      out.put("timezone", tz);
    }
    if (body.containsKey("avatar_url")) out.put("avatar_url", url(body.getValue("avatar_url"), "avatar_url"));
    if (body.containsKey("bio")) {
      Object b = body.getValue("bio");
      if (b != null && (!(b instanceof String s) || s.length() > 1000)) throw DomainException.invalid("invalid_bio", "bio is at most 1000 characters.");
      out.put("bio", b);
    }
    for (String flag : new String[] {"is_profile_public", "allow_contact_by_sponsors"}) {
      if (body.containsKey(flag)) {
        if (!(body.getValue(flag) instanceof Boolean)) throw DomainException.invalid("invalid_" + flag, flag + " is true or false.");
        out.put(flag, body.getBoolean(flag));
      }
    }
    return out;
  }

  static String url(Object value, String field) {
    if (value == null) return null;
    if (!(value instanceof String s) || s.length() > 500 || !s.startsWith("https://")) {
      throw DomainException.invalid("invalid_" + field, field + " must be an https URL of at most 500 characters.");
    }
    return s;
  }
}
