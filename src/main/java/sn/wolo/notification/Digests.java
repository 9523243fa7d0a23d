package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Bundles a pot owner's donation notifications into one digest per period (daily at 19:00 Dakar,
 * weekly on Sunday 19:00): the first donation of a period queues a {@code donation_digest} message
 * due at the period's end; the next ones add to its count and total, under the row lock.
 */
final class Digests {

  private static final LocalTime AT = LocalTime.of(19, 0);
  private static final String LOCK = """
      SELECT id, template_data FROM notifications.notifications WHERE dedupe_key = $1 AND status = 'pending' FOR UPDATE""";
  private static final String INSERT = """
      INSERT INTO notifications.notifications (user_id, recipient_identifier, template_id, channel, body, template_data,
          status, scheduled_at, dedupe_key)
      VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) ON CONFLICT (dedupe_key) DO NOTHING""";
  private static final String UPDATE = "UPDATE notifications.notifications SET template_data = $2, body = $3 WHERE id = $1";
  // The entries not added before: a donation offered twice (a retried batch) counts once.
  private static final String ENTRIES = """
      INSERT INTO notifications.digest_entries (entry_key, digest_key) SELECT unnest($1::varchar[]), $2
      ON CONFLICT (entry_key) DO NOTHING RETURNING entry_key""";
  private static final String PURGE = "DELETE FROM notifications.digest_entries WHERE created_at < $1";

  /** A donation offered to a digest: its key (once per donation and owner) and amount. */
  record Entry(String key, long amount) {
  }

  private final Pool pool;
  private final Templates templates;

  Digests(Pool pool, Templates templates) {
    this.pool = pool;
    this.templates = templates;
  }

  /**
   * Adds the donations not added before to the user's digest of the period (their count and total),
   * in one transaction with the record of each entry.
   */
  Future<JsonObject> add(UUID userId, String recipient, String channel, String frequency, List<Entry> entries, Instant now) {
    Instant due = nextDigest(now, frequency);
    String key = "digest:" + userId + ":" + channel + ":" + due;
    JsonObject answer = new JsonObject().put("digest", key).put("scheduled_at", due.toString());
    Map<String, Long> amounts = new HashMap<>();
    entries.forEach(e -> amounts.merge(e.key(), e.amount(), (a, b) -> a));
    return templates.get("donation_digest", "fr-SN").compose(found -> pool.withTransaction(tx -> {
      Templates.Template t = found.orElseThrow(() -> new IllegalStateException("no active donation_digest template"));
      return tx.preparedQuery(ENTRIES).execute(Tuple.of(amounts.keySet().toArray(String[]::new), key)).compose(fresh -> {
        if (fresh.size() == 0) return Future.<Void>succeededFuture();
        long total = 0;
        for (Row r : fresh) total += amounts.get(r.getString(0));
        return addIn(tx, t, userId, recipient, channel, key, due, total, fresh.size(), true);
      }).map(answer);
    }));
  }

  /** Forgets entries older than any digest period (daily job). */
  static Future<Integer> purgeEntries(Pool pool, Instant before) {
    return pool.preparedQuery(PURGE).execute(Tuple.of(Times.utc(before))).map(rows -> rows.rowCount());
  }

  /**
   * Adds to the period's digest under its row lock, or starts it. Two first donations of a period
   * racing (two lanes, two instances): the second INSERT waits for the first to commit and inserts
   * nothing — it then adds to the row the first one made, so no donation goes uncounted.
   */
  private Future<Void> addIn(SqlConnection tx, Templates.Template t, UUID userId, String recipient, String channel, String key,
                             Instant due, long amount, int count, boolean mayRetry) {
    return tx.preparedQuery(LOCK).execute(Tuple.of(key)).compose(rows -> {
      if (rows.size() == 0) {
        JsonObject data = new JsonObject().put("count", count).put("total", amount);
        return tx.preparedQuery(INSERT).execute(Tuple.from(new Object[] {userId, recipient, t.id(), channel,
                render(t, data), data, Times.utc(due), key}))
            .compose(inserted -> inserted.rowCount() > 0 || !mayRetry ? Future.<Void>succeededFuture()
                : addIn(tx, t, userId, recipient, channel, key, due, amount, count, false));
      }
      Row r = rows.iterator().next();
      JsonObject data = ((JsonObject) r.getValue("template_data")).copy();
      data.put("count", data.getLong("count") + count).put("total", data.getLong("total") + amount);
      return tx.preparedQuery(UPDATE).execute(Tuple.of(r.getUUID("id"), data, render(t, data))).mapEmpty();
    });
  }

  static Instant nextDigest(Instant now, String frequency) {
    ZonedDateTime local = now.atZone(Times.DAKAR);
    ZonedDateTime at = local.with(AT).withSecond(0).withNano(0);
    if ("weekly".equals(frequency)) at = at.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
    if (!at.isAfter(local)) at = at.plusDays("weekly".equals(frequency) ? 7 : 1);
    return at.toInstant();
  }

  private static String render(Templates.Template template, JsonObject data) {
    return TemplateRenderer.text("donation_digest", template.bodyText(), template.variables(), data);
  }
}
