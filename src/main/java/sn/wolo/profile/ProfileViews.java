package sn.wolo.profile;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Clock;
import java.time.LocalDate;
import java.util.UUID;

/** JSON shapes of a profile: the owner's view (never the ID number) and the public view. */
final class ProfileViews {

  private ProfileViews() {
  }

  static JsonObject mine(Row r, Clock clock) {
    LocalDate dob = r.getLocalDate("date_of_birth");
    boolean minor = Ages.isMinor(dob, clock);
    UUID guardian = r.getUUID("guardian_user_id");
    Object request = r.getValue("guardian_request");
    JsonObject guardianView = new JsonObject()
        .put("user_id", guardian == null ? null : guardian.toString())
        .put("relationship_type", r.getString("relationship_type"))
        .put("request", request instanceof JsonObject o ? o : null);
    boolean complete = !minor || guardian != null;
    return new JsonObject()
        .put("user_id", r.getUUID("user_id").toString())
        .put("full_name", r.getString("full_name"))
        .put("date_of_birth", dob.toString())
        .put("locale", r.getString("locale"))
        .put("timezone", r.getString("timezone"))
        .put("avatar_url", r.getString("avatar_url"))
        .put("bio", r.getString("bio"))
        .put("is_profile_public", r.getBoolean("is_profile_public"))
        .put("allow_contact_by_sponsors", r.getBoolean("allow_contact_by_sponsors"))
        .put("is_minor", minor)
        .put("complete", complete)
        .put("missing", complete ? null : "guardian")
        .put("guardian", guardianView)
        .put("id_document", new JsonObject()
            .put("submitted", r.getString("id_number") != null)
            .put("id_type", r.getString("id_type"))
            .put("id_country", r.getString("id_country"))
            .put("verified_at", r.getOffsetDateTime("id_verified_at") == null ? null : r.getOffsetDateTime("id_verified_at").toString()));
  }

  static JsonObject publicView(Row r) {
    return new JsonObject()
        .put("user_id", r.getUUID("user_id").toString())
        .put("full_name", r.getString("full_name"))
        .put("avatar_url", r.getString("avatar_url"))
        .put("bio", r.getString("bio"));
  }
}
