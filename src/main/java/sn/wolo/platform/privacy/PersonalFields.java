package sn.wolo.platform.privacy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;

/**
 * The field names that carry a person's identity or a secret in our JSON (bodies, event payloads):
 * one list, used to mask the audit trail and to keep domain events' personal values out of analytics.
 */
public final class PersonalFields {

  public static final Set<String> SECRET = Set.of("password", "password_hash", "token", "code", "secret", "token_hash",
      "session_token_hash", "code_hash", "id_document_number", "id_number");
  public static final Set<String> PERSONAL = Set.of("phone", "email", "full_name", "donor_phone", "donor_name", "donor_email",
      "wave_mobile", "contact_phone", "contact_email", "first_name", "last_name", "recipient", "name", "invited_name", "invited_phone",
      "invited_email", "message", "donation_message", "custom_message", "owner_first_name", "owner_name", "ip", "ip_address", "user_agent");

  private PersonalFields() {
  }

  public static boolean personal(String key) {
    return PERSONAL.contains(key) || SECRET.contains(key);
  }

  /** A deep copy without personal or secret fields. */
  public static JsonObject without(JsonObject values) {
    if (values == null) return null;
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> f : values) {
      if (personal(f.getKey())) continue;
      out.put(f.getKey(), f.getValue() instanceof JsonObject o ? without(o) : f.getValue() instanceof JsonArray a ? without(a) : f.getValue());
    }
    return out;
  }

  private static JsonArray without(JsonArray values) {
    JsonArray out = new JsonArray();
    values.forEach(v -> out.add(v instanceof JsonObject o ? without(o) : v));
    return out;
  }
}
