package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.UUID;

/**
 * Bundles a pot owner's donation notifications into one digest per period (daily at 19:00 Dakar,
 * weekly on Sunday 19:00): the first donation of a period queues a {@code donation_digest} message
 * due at the period's end; the next ones add to its count and total, under the row lock.
 */
final class Digests {

  private static final LocalTime AT = LocalTime.of(19, 0);
  private static final String TEMPLATE = """
      SELECT id, body_text, variables FROM notifications.notification_templates
      WHERE template_key = 'donation_digest' AND locale = 'fr-SN'""";
  private static final String LOCK = """
      SELECT id, template_data FROM notifications.notifications WHERE dedupe_key = $1 AND status = 'pending' FOR UPDATE""";
  private static final String INSERT = """
      INSERT INTO notifications.notifications (user_id, recipient_identifier, template_id, channel, body, template_data,
          status, scheduled_at, dedupe_key)
      VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) ON CONFLICT (dedupe_key) DO NOTHING""";
  private static final String UPDATE = "UPDATE notifications.notifications SET template_data = $2, body = $3 WHERE id = $1";

  private final Pool pool;

  Digests(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> add(UUID userId, String recipient, String channel, String frequency, long amount, Instant now) {
    Instant due = nextDigest(now, frequency);
    String key = "digest:" + userId + ":" + channel + ":" + due;
    JsonObject answer = new JsonObject().put("digest", key).put("scheduled_at", due.toString());
    return pool.withTransaction(tx -> tx.query(TEMPLATE).execute().compose(templates -> {
      Row t = templates.iterator().next();
      return tx.preparedQuery(LOCK).execute(Tuple.of(key)).compose(rows -> {
        if (rows.size() == 0) {
          JsonObject data = new JsonObject().put("count", 1).put("total", amount);
          return tx.preparedQuery(INSERT).execute(Tuple.from(new Object[] {userId, recipient, t.getUUID("id"), channel,
              render(t, data), data, Times.utc(due), key})).map(answer);
        }
        Row r = rows.iterator().next();
        JsonObject data = ((JsonObject) r.getValue("template_data")).copy();
        data.put("count", data.getLong("count") + 1).put("total", data.getLong("total") + amount);
        return tx.preparedQuery(UPDATE).execute(Tuple.of(r.getUUID("id"), data, render(t, data))).map(answer);
      });
    }));
  }

  static Instant nextDigest(Instant now, String frequency) {
    ZonedDateTime local = now.atZone(Times.DAKAR);
    ZonedDateTime at = local.with(AT).withSecond(0).withNano(0);
    if ("weekly".equals(frequency)) at = at.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
    if (!at.isAfter(local)) at = at.plusDays("weekly".equals(frequency) ? 7 : 1);
    return at.toInstant();
  }

  private static String render(Row template, JsonObject data) {
    return TemplateRenderer.text("donation_digest", template.getString("body_text"), (JsonObject) template.getValue("variables"), data);
  }
}
