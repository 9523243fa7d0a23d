package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.http.ApiError;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Notifications: templated SMS, WhatsApp and email (schema notifications).
 *
 * <p>So far only the sandbox channel exists: {@code wolo.notification.send} renders the template and
 * stores the message as sent by provider {@code sandbox} (nothing leaves the machine). The dev
 * profile reads them back at {@code GET /v1/dev/messages}. Real providers, the retrying queue,
 * preferences and quiet hours come with the notifications issue.
 */
public final class NotificationVerticle extends DomainVerticle {

  public static final String DOMAIN = "notification";
  public static final String SEND = Addresses.request(DOMAIN, "send");
  public static final String RECENT = Addresses.request(DOMAIN, "recent");
  public static final String PREFERENCES_GET = Addresses.request(DOMAIN, "preferences-get");
  public static final String PREFERENCES_PUT = Addresses.request(DOMAIN, "preferences-put");

  private static final String TEMPLATE = """
      SELECT id, subject, body_text, variables FROM notifications.notification_templates
      WHERE template_key = $1 AND locale = $2 AND is_active""";
  private static final String INSERT = """
      INSERT INTO notifications.notifications (user_id, recipient_identifier, template_id, channel, subject, body,
          template_data, status, scheduled_at, sent_at, provider, dedupe_key)
      VALUES ($1, $2, $3, $4, $5, $6, $7, 'sent', $8, $8, 'sandbox', $9)
      ON CONFLICT (dedupe_key) DO NOTHING RETURNING id""";
  private static final String RECENT_SQL = """
      SELECT n.id, n.channel, n.subject, n.body, n.created_at, t.template_key
      FROM notifications.notifications n JOIN notifications.notification_templates t ON t.id = n.template_id
      WHERE n.recipient_identifier = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $2""";

  public NotificationVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }

  @Override
  protected Future<JsonObject> exportUserData(String userId) {
    var id = java.util.UUID.fromString(userId);
    return new Preferences(pool).get(id).compose(prefs -> pool.preparedQuery(
            "SELECT channel, recipient_identifier, subject, body, status, created_at FROM notifications.notifications WHERE user_id = $1 ORDER BY created_at")
        .execute(Tuple.of(id)).map(rows -> {
          JsonArray messages = new JsonArray();
          rows.forEach(r -> messages.add(new JsonObject().put("channel", r.getString("channel"))
              .put("recipient", r.getString("recipient_identifier")).put("subject", r.getString("subject"))
              .put("body", r.getString("body")).put("status", r.getString("status"))
              .put("created_at", r.getOffsetDateTime("created_at").toString())));
          return new JsonObject().put("preferences", prefs).put("messages", messages);
        }));
  }

  @Override
  protected Future<?> startDomain() {
    Bus.serve(vertx, SEND, this::send);
    Bus.serve(vertx, RECENT, this::recent);
    Preferences preferences = new Preferences(pool);
    Bus.serve(vertx, PREFERENCES_GET, req -> preferences.get(java.util.UUID.fromString(req.getString("user_id"))));
    Bus.serve(vertx, PREFERENCES_PUT, req -> preferences.put(java.util.UUID.fromString(req.getString("user_id")),
        req.getJsonObject("preferences", new JsonObject())));
    return Future.succeededFuture();
  }

  /**
   * {@code {"template_key","channel","recipient","user_id"?,"locale"?,"data":{…},"dedupe_key"?}} →
   * {@code {"notification_id"}}. Template data is stored for the audit trail: callers must not
   * put secrets in it other than the message's own content (OTP codes live only in the body).
   */
  private Future<JsonObject> send(JsonObject req) {
    String key = req.getString("template_key");
    String recipient = req.getString("recipient");
    String channel = req.getString("channel", "sms");
    if (key == null || recipient == null) throw ApiError.badRequest("invalid_notification", "template_key and recipient are required");
    JsonObject data = req.getJsonObject("data", new JsonObject());
    return pool.preparedQuery(TEMPLATE).execute(Tuple.of(key, req.getString("locale", "fr-SN"))).compose(rows -> {
      if (rows.size() == 0) return Future.failedFuture(ApiError.notFound("template_not_found", "No template " + key));
      Row t = rows.iterator().next();
      JsonObject declared = (JsonObject) t.getValue("variables");
      String body = TemplateRenderer.text(key, t.getString("body_text"), declared, data);
      String subject = TemplateRenderer.text(key, t.getString("subject"), null, data);
      OffsetDateTime now = OffsetDateTime.ofInstant(app.clock().instant(), ZoneOffset.UTC);
      return pool.preparedQuery(INSERT).execute(Tuple.from(new Object[] {
          req.getString("user_id") == null ? null : java.util.UUID.fromString(req.getString("user_id")),
          recipient, t.getUUID("id"), channel, subject, body, storedData(key, data), now, req.getString("dedupe_key")}));
    }).map(rows -> new JsonObject().put("notification_id",
        rows.size() == 0 ? null : rows.iterator().next().getUUID("id").toString()));
  }

  /** One-time codes and tokens are part of the message body only, never of the stored template data. */
  private static JsonObject storedData(String key, JsonObject data) {
    JsonObject copy = data.copy();
    copy.remove("code");
    copy.remove("token");
    return copy;
  }

  private Future<JsonObject> recent(JsonObject req) {
    return pool.preparedQuery(RECENT_SQL).execute(Tuple.of(req.getString("recipient"), req.getInteger("limit", 20)))
        .map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(new JsonObject().put("id", r.getUUID("id").toString()).put("template_key", r.getString("template_key"))
                .put("channel", r.getString("channel")).put("subject", r.getString("subject"))
                .put("body", r.getString("body")).put("created_at", r.getOffsetDateTime("created_at").toString()));
          }
          return new JsonObject().put("messages", out);
        });
  }
}
