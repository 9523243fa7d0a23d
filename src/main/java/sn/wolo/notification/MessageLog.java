package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/** What was sent: a recipient's latest messages, a user's messages for their export. */
record MessageLog(Pool pool) {

  private static final String RECENT_SQL = """
      SELECT n.id, n.channel, n.subject, n.body, n.status, n.created_at, t.template_key
      FROM notifications.notifications n JOIN notifications.notification_templates t ON t.id = n.template_id
      WHERE n.recipient_identifier = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $2""";

  /** GDPR export: the user's preferences, the messages sent to them, their push devices (not the tokens). */
  Future<JsonObject> export(UUID id) {
    return new Preferences(pool).get(id).compose(prefs -> pool.preparedQuery("""
            SELECT channel, recipient_identifier, subject, body, status, created_at FROM notifications.notifications
            WHERE user_id = $1 ORDER BY created_at""")
        .execute(Tuple.of(id)).map(rows -> {
          JsonArray messages = new JsonArray();
          rows.forEach(r -> messages.add(new JsonObject().put("channel", r.getString("channel"))
              .put("recipient", r.getString("recipient_identifier")).put("subject", r.getString("subject"))
              .put("body", r.getString("body")).put("status", r.getString("status"))
              .put("created_at", r.getOffsetDateTime("created_at").toString())));
          return new JsonObject().put("preferences", prefs).put("messages", messages);
        }))
        .compose(out -> new Devices(pool).mine(id).map(devices -> out.put("devices", devices.getJsonArray("items"))));
  }

  /** {@code wolo.notification.recent} {@code {"recipient","limit"}}: the latest messages to a phone or an address (the dev page). */
  Future<JsonObject> recent(JsonObject req) {
    return pool.preparedQuery(RECENT_SQL).execute(Tuple.of(req.getString("recipient"), req.getInteger("limit", 20)))
        .map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(new JsonObject().put("id", r.getUUID("id").toString()).put("template_key", r.getString("template_key"))
                .put("channel", r.getString("channel")).put("subject", r.getString("subject")).put("status", r.getString("status"))
                .put("body", r.getString("body")).put("created_at", r.getOffsetDateTime("created_at").toString()));
          }
          return new JsonObject().put("messages", out);
        });
  }
}
