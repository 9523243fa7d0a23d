package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.db.Columns;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Bundles a pot owner's donation notifications into one digest per period (daily at 19:00 Dakar,
 * weekly on Sunday 19:00): the first donation of a period queues a {@code donation_digest} message
 * due at the period's end; the next ones add to its count and total, under the row lock. Many
 * owners' additions are written together ({@link #addAll}): a burst's credits cost a few
 * statements in the caller's transaction, not a transaction per owner.
 */
final class Digests {

  private static final LocalTime AT = LocalTime.of(19, 0);
  // One pass in key order over the period's digests: one that exists is locked (the no-op update takes
  // its row lock), one that does not is started with what this batch adds (xmax = 0: inserted). Locking
  // the existing ones first and inserting the others after could take the same keys in different orders:
  // A locks d5 (committed by a third burst after B looked), then waits to insert d2, which B has just
  // inserted; B, which did not see d5 when it looked, finds it at its insert and waits for A's lock — a
  // deadlock. Every statement of an addition takes its keys in order: entries, digests, messages (and
  // the preferences before them, Preferences).
  private static final String LOCK_OR_START = """
      INSERT INTO notifications.notifications (user_id, recipient_identifier, template_id, channel, body, template_data,
          status, scheduled_at, dedupe_key)
      SELECT d.user_id, d.recipient, $1, d.channel, d.body, d.data, 'pending', d.due, d.dedupe_key
      FROM unnest($2::uuid[], $3::varchar[], $4::varchar[], $5::text[], $6::jsonb[], $7::timestamptz[], $8::varchar[])
           AS d(user_id, recipient, channel, body, data, due, dedupe_key)
      ORDER BY d.dedupe_key
      ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
      RETURNING id, dedupe_key, template_data, status, xmax = 0 AS started""";
  private static final String UPDATE = """
      UPDATE notifications.notifications n SET template_data = d.data, body = d.body
      FROM unnest($1::uuid[], $2::jsonb[], $3::text[]) AS d(id, data, body) WHERE n.id = d.id""";
  // The entries not added before: a donation offered twice (a retried batch) counts once.
  private static final String ENTRIES = """
      INSERT INTO notifications.digest_entries (entry_key, digest_key)
      SELECT * FROM unnest($1::varchar[], $2::varchar[]) AS e(entry_key, digest_key) ORDER BY e.entry_key
      ON CONFLICT (entry_key) DO NOTHING RETURNING entry_key""";
  private static final String PURGE = "DELETE FROM notifications.digest_entries WHERE created_at < $1";

  /** A donation offered to a digest: its key (once per donation and owner) and amount. */
  record Entry(String key, long amount) {
  }

  /** One owner's donations for the digest they receive on a channel, at a recipient, this often. */
  record Addition(UUID userId, String recipient, String channel, String frequency, List<Entry> entries) {
  }

  /** Where a digest stands while additions are written: its row (once locked or made) and what is added. */
  private static final class Pending {
    final String key;
    final Addition addition;
    final Instant due;
    long count;
    long total;
    UUID id;
    JsonObject data;

    Pending(String key, Addition addition, Instant due) {
      this.key = key;
      this.addition = addition;
      this.due = due;
    }
  }

  private final Templates templates;

  Digests(Templates templates) {
    this.templates = templates;
  }

  /** The template digests are rendered with (read before the caller's transaction). */
  Future<Templates.Template> template() {
    return templates.get("donation_digest", "fr-SN")
        .map(found -> found.orElseThrow(() -> new IllegalStateException("no active donation_digest template")));
  }

  /**
   * Adds the donations not added before to their owners' digests of the period (count and total),
   * in {@code tx} with the record of each entry. One answer per addition:
   * {@code {"digest": key, "scheduled_at": due}}.
   */
  Future<List<JsonObject>> addAll(SqlConnection tx, Templates.Template template, List<Addition> additions, Instant now) {
    List<JsonObject> answers = new ArrayList<>();
    Map<String, Pending> digests = new TreeMap<>();
    Map<String, String> digestOfEntry = new HashMap<>();   // written in key order by ENTRIES' ORDER BY
    Map<String, Long> amountOfEntry = new HashMap<>();
    for (Addition a : additions) {
      Instant due = nextDigest(now, a.frequency());
      String key = "digest:" + a.userId() + ":" + a.channel() + ":" + due;
      digests.putIfAbsent(key, new Pending(key, a, due));
      answers.add(new JsonObject().put("digest", key).put("scheduled_at", due.toString()));
      for (Entry e : a.entries()) {
        if (digestOfEntry.putIfAbsent(e.key(), key) == null) amountOfEntry.put(e.key(), e.amount());
      }
    }
    if (digestOfEntry.isEmpty()) return Future.succeededFuture(answers);
    return tx.preparedQuery(ENTRIES).execute(Tuple.tuple().addValue(digestOfEntry.keySet().toArray(String[]::new))
            .addValue(digestOfEntry.values().toArray(String[]::new)))
        .compose(fresh -> {
          for (Row r : fresh) {
            Pending d = digests.get(digestOfEntry.get(r.getString(0)));
            d.count++;
            d.total += amountOfEntry.get(r.getString(0));
          }
          digests.values().removeIf(d -> d.count == 0);
          return digests.isEmpty() ? Future.<Void>succeededFuture() : lockOrStart(tx, template, digests)
              .compose(v -> update(tx, template, digests.values()));
        })
        .map(answers);
  }

  /** Forgets entries older than any digest period (daily job). */
  static Future<Integer> purgeEntries(Pool pool, Instant before) {
    return pool.preparedQuery(PURGE).execute(Tuple.of(Times.utc(before))).map(rows -> rows.rowCount());
  }

  /**
   * Locks the period's digests that exist and starts the others with what this batch adds, in one
   * statement taking them in key order. Two first donations of a period racing (two lanes, two
   * instances): the second waits for the first to commit, then locks the digest it made and adds to
   * it, so no donation goes uncounted. A digest already sent is left as it was.
   */
  private Future<Void> lockOrStart(SqlConnection tx, Templates.Template template, Map<String, Pending> digests) {
    List<Pending> all = List.copyOf(digests.values());
    JsonObject[] data = Columns.of(all, JsonObject.class, d -> new JsonObject().put("count", d.count).put("total", d.total));
    String[] bodies = Arrays.stream(data).map(d -> render(template, d)).toArray(String[]::new);
    return tx.preparedQuery(LOCK_OR_START).execute(Tuple.from(new Object[] {template.id(), Columns.of(all, UUID.class, d -> d.addition.userId()),
            Columns.of(all, String.class, d -> d.addition.recipient()), Columns.of(all, String.class, d -> d.addition.channel()),
            bodies, data, Columns.of(all, OffsetDateTime.class, d -> Times.utc(d.due)), Columns.of(all, String.class, d -> d.key)}))
        .map(rows -> {
          for (Row r : rows) {
            if (r.getBoolean("started")) {
              digests.remove(r.getString("dedupe_key"));   // started with this batch's count and total: nothing more to add
            } else if ("pending".equals(r.getString("status"))) {
              Pending d = digests.get(r.getString("dedupe_key"));
              d.id = r.getUUID("id");
              d.data = (JsonObject) r.getValue("template_data");
            }
          }
          return null;
        });
  }

  /** Adds to the locked digests (one statement); a digest neither locked nor made (sent meanwhile) is left as it was. */
  private static Future<Void> update(SqlConnection tx, Templates.Template template, Collection<Pending> digests) {
    List<Pending> locked = digests.stream().filter(d -> d.id != null).toList();
    if (locked.isEmpty()) return Future.succeededFuture();
    JsonObject[] data = Columns.of(locked, JsonObject.class, d -> d.data.copy()
        .put("count", d.data.getLong("count") + d.count).put("total", d.data.getLong("total") + d.total));
    String[] bodies = Arrays.stream(data).map(d -> render(template, d)).toArray(String[]::new);
    return tx.preparedQuery(UPDATE).execute(Tuple.of(Columns.of(locked, UUID.class, d -> d.id), data, bodies)).mapEmpty();
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
