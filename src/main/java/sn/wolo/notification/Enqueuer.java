package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.TimeOrderedIds;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.db.Columns;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.profile.api.Profiles;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Puts messages on the durable queue ({@code notifications}, status pending): renders the template
 * (a missing variable is an error), applies the user's preferences (channel and event type
 * switches: an opted-out message is skipped) and quiet hours (the message is deferred to their end,
 * in the user's time zone), and is idempotent on {@code dedupe_key} — an event delivered twice
 * queues one message. Security messages (OTP, password reset) ignore preferences and quiet hours.
 *
 * <p>A burst's messages are queued together ({@link #enqueueAll}): the users' preferences read in
 * one query, each user's time zone asked once, and every message and digest addition written in ONE
 * transaction (a few statements, one commit) instead of a transaction per message.
 */
final class Enqueuer {

  /** Which preference switch governs a template; "security" ones are always sent at once. */
  static final Map<String, String> CATEGORY = Map.ofEntries(
      Map.entry("otp_code", "security"), Map.entry("password_reset", "security"), Map.entry("guardian_request", "account"),
      Map.entry("referral_invitation", "referral_notifications"), Map.entry("referral_accepted", "referral_notifications"),
      Map.entry("pot_invitation", "pot_notifications"), Map.entry("pot_opened", "pot_notifications"),
      Map.entry("pot_reminder_j7", "pot_notifications"), Map.entry("pot_reminder_j1", "pot_notifications"),
      Map.entry("pot_funded", "pot_notifications"), Map.entry("pot_closed", "pot_notifications"),
      // The gift is what the pot was for: its messages are about the account, not switchable news.
      Map.entry("qr_issued", "account"), Map.entry("gift_choice_needed", "account"),
      Map.entry("donation_received", "donation_notifications"),
      Map.entry("donation_thank_you", "donation_notifications"), Map.entry("refund_made", "donation_notifications"),
      Map.entry("donation_digest", "donation_notifications"));
  private static final Set<String> CHANNELS = Set.of("sms", "whatsapp", "email", "push");

  private static final String INSERT = """
      INSERT INTO notifications.notifications (id, user_id, recipient_identifier, template_id, channel, subject, body,
          template_data, status, scheduled_at, dedupe_key, created_at, updated_at)
      SELECT m.id, m.user_id, m.recipient, m.template_id, m.channel, m.subject, m.body, m.data, 'pending', m.at, m.dedupe_key, $11, $11
      FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::uuid[], $5::varchar[], $6::varchar[], $7::text[], $8::jsonb[],
                  $9::timestamptz[], $10::varchar[]) AS m(id, user_id, recipient, template_id, channel, subject, body, data, at, dedupe_key)
      ORDER BY m.dedupe_key   -- in key order, as the digests before them: overlapping batches cannot deadlock
      ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, scheduled_at""";

  /** A message rendered and scheduled, ready to be written — or skipped, and why — for the request at {@code index}. */
  private record Rendered(int index, String skipped, UUID id, UUID userId, String recipient, UUID templateId, String channel,
                          String subject, String body, JsonObject data, OffsetDateTime at, String dedupeKey) {
    static Rendered skipped(int index, String reason) {
      return new Rendered(index, reason, null, null, null, null, null, null, null, null, null, null);
    }
  }

  /** When a message may go, or why it will not. */
  private record When(Instant at, String skipped) {
  }

  private final Vertx vertx;
  private final Profiles profiles;
  private final Pool pool;
  private final Clock clock;
  private final Preferences preferences;
  private final Templates templates;
  private final Digests digests;

  Enqueuer(Vertx vertx, Pool pool, Clock clock, Preferences preferences) {
    this.vertx = vertx;
    this.profiles = TypedBus.proxy(vertx, Profiles.class);
    this.pool = pool;
    this.clock = clock;
    this.preferences = preferences;
    this.templates = new Templates(pool);
    this.digests = new Digests(templates);
  }

  /**
   * {@code {"template_key","channel","recipient","user_id"?,"locale"?,"data","dedupe_key"?}} →
   * {@code {"notification_id","status","scheduled_at"}}, {@code {"duplicate":true}}, {@code {"skipped":reason}},
   * or {@code {"digest","scheduled_at"}} for a donation joining its owner's digest.
   */
  Future<JsonObject> enqueue(JsonObject req) {
    return enqueueAll(List.of(req)).map(answers -> answers.get(0));
  }

  /**
   * Many messages at once (a burst's), one answer per request in order: one owner's
   * {@code donation_received} messages on one channel go to their digest in one addition (count
   * and total), unless the owner wants each at once. All or nothing: a message that cannot be
   * rendered fails the call before anything is written.
   */
  Future<List<JsonObject>> enqueueAll(List<JsonObject> requests) {
    requests.forEach(Enqueuer::check);
    Instant now = clock.instant();
    Set<UUID> users = new LinkedHashSet<>();
    for (JsonObject req : requests) {
      if (userOf(req) != null && !"security".equals(category(req))) users.add(userOf(req));
    }
    return preferences.getAll(users).compose(prefs -> {
      Map<String, List<Integer>> byOwner = new LinkedHashMap<>();
      List<Integer> single = new ArrayList<>();
      for (int i = 0; i < requests.size(); i++) {
        JsonObject req = requests.get(i);
        UUID userId = userOf(req);
        if (digestible(req, userId) && !"immediate".equals(prefs.get(userId).getString("digest_frequency"))) {
          byOwner.computeIfAbsent(userId + " " + channel(req) + " " + req.getString("recipient"), k -> new ArrayList<>()).add(i);
        } else {
          single.add(i);
        }
      }
      Map<UUID, Future<ZoneId>> zones = new HashMap<>();
      List<Future<Rendered>> rendering = single.stream().map(i -> render(i, requests.get(i), prefs, zones, now)).toList();
      Future<Templates.Template> digestTemplate = byOwner.isEmpty() ? Future.succeededFuture() : digests.template();
      List<List<Integer>> owners = List.copyOf(byOwner.values());
      List<Digests.Addition> additions = owners.stream().map(owner -> addition(requests, owner, prefs)).toList();
      return Future.all(Future.join(rendering), digestTemplate).compose(ready -> {
        JsonObject[] answers = new JsonObject[requests.size()];
        List<Rendered> queued = new ArrayList<>();
        for (Future<Rendered> f : rendering) {
          Rendered r = f.result();
          if (r.skipped() != null) answers[r.index()] = new JsonObject().put("skipped", r.skipped());
          else queued.add(r);
        }
        return pool.withTransaction(tx -> digests.addAll(tx, digestTemplate.result(), additions, now)
                .compose(added -> insert(tx, queued, now).map(inserted -> {
                  for (int o = 0; o < owners.size(); o++) for (int i : owners.get(o)) answers[i] = added.get(o);
                  for (Rendered r : queued) {
                    OffsetDateTime at = inserted.get(r.id());
                    answers[r.index()] = at == null ? new JsonObject().put("duplicate", true) : new JsonObject()
                        .put("notification_id", r.id().toString()).put("status", "pending").put("scheduled_at", at.toInstant().toString());
                  }
                  return Arrays.asList(answers);
                })));
      });
    }).onSuccess(answers -> {
      if (answers.stream().anyMatch(a -> a.getString("notification_id") != null || a.getString("digest") != null)) {
        vertx.eventBus().send(NotificationVerticle.NUDGE, null);
      }
    });
  }

  private static void check(JsonObject req) {
    String recipient = req.getString("recipient");
    if (req.getString("template_key") == null || recipient == null || recipient.isBlank()) {
      throw DomainException.invalid("invalid_notification", "template_key and recipient are required");
    }
    if (!CHANNELS.contains(channel(req))) throw DomainException.invalid("invalid_channel", "channel is one of " + CHANNELS);
  }

  private static UUID userOf(JsonObject req) {
    return req.getString("user_id") == null ? null : UUID.fromString(req.getString("user_id"));
  }

  private static String channel(JsonObject req) {
    return req.getString("channel", "sms");
  }

  private static String category(JsonObject req) {
    return CATEGORY.getOrDefault(req.getString("template_key"), "marketing_notifications");
  }

  /** A donation to an account holder's pot: bundled in their digest unless they chose "immediate". */
  private static boolean digestible(JsonObject req, UUID userId) {
    return "donation_received".equals(req.getString("template_key")) && userId != null;
  }

  /** One owner's donations on one channel and recipient, for their digest. */
  private static Digests.Addition addition(List<JsonObject> requests, List<Integer> owner, Map<UUID, JsonObject> prefs) {
    JsonObject first = requests.get(owner.get(0));
    UUID userId = userOf(first);
    List<Digests.Entry> entries = owner.stream().map(requests::get).map(req -> new Digests.Entry(
        req.getString("dedupe_key", UUID.randomUUID().toString()), req.getJsonObject("data", new JsonObject()).getLong("amount", 0L))).toList();
    return new Digests.Addition(userId, first.getString("recipient"), channel(first), prefs.get(userId).getString("digest_frequency"), entries);
  }

  private Future<Rendered> render(int index, JsonObject req, Map<UUID, JsonObject> prefs, Map<UUID, Future<ZoneId>> zones, Instant now) {
    String key = req.getString("template_key");
    UUID userId = userOf(req);
    JsonObject data = req.getJsonObject("data", new JsonObject());
    return templates.get(key, req.getString("locale", "fr-SN")).compose(found -> {
      if (found.isEmpty()) return Future.failedFuture(DomainException.notFound("template_not_found", "No template " + key));
      Templates.Template t = found.get();
      String body = TemplateRenderer.text(key, t.bodyText(), t.variables(), data);
      String subject = TemplateRenderer.text(key, t.subject(), null, data);
      return schedule(userId, channel(req), category(req), prefs, zones, now).map(when -> when.skipped() != null
          ? Rendered.skipped(index, when.skipped())
          : new Rendered(index, null, TimeOrderedIds.next(), userId, req.getString("recipient"), t.id(), channel(req), subject, body,
              storedData(data), Times.utc(when.at()), req.getString("dedupe_key")));
    });
  }

  /** When to send, or why not at all, from the user's preferences and time zone (asked once per user and batch). */
  private Future<When> schedule(UUID userId, String channel, String category, Map<UUID, JsonObject> prefs, Map<UUID, Future<ZoneId>> zones,
                                Instant now) {
    if (userId == null || "security".equals(category)) return Future.succeededFuture(new When(now, null));
    JsonObject p = prefs.get(userId);
    if (!p.getBoolean(channel + "_enabled", true)) return Future.succeededFuture(new When(null, "channel_disabled"));
    if (!"account".equals(category) && !p.getBoolean(category, true)) return Future.succeededFuture(new When(null, "category_disabled"));
    return zones.computeIfAbsent(userId, this::timezone).map(zone -> new When(QuietHours.nextAllowed(now, zone,
        LocalTime.parse(p.getString("quiet_hours_start")), LocalTime.parse(p.getString("quiet_hours_end"))), null));
  }

  private Future<ZoneId> timezone(UUID userId) {
    return profiles.get(userId)
        .map(p -> ZoneId.of(p.timezone() == null ? "Africa/Dakar" : p.timezone()))
        .recover(e -> Future.succeededFuture(Times.DAKAR));
  }

  /** The messages of a batch in one statement: the ids written and when each is due (a duplicate is not written). */
  private Future<Map<UUID, OffsetDateTime>> insert(SqlConnection tx, List<Rendered> rows, Instant now) {
    if (rows.isEmpty()) return Future.succeededFuture(Map.of());
    return tx.preparedQuery(INSERT).execute(Tuple.from(new Object[] {Columns.of(rows, UUID.class, Rendered::id),
        Columns.of(rows, UUID.class, Rendered::userId), Columns.of(rows, String.class, Rendered::recipient),
        Columns.of(rows, UUID.class, Rendered::templateId), Columns.of(rows, String.class, Rendered::channel),
        Columns.of(rows, String.class, Rendered::subject), Columns.of(rows, String.class, Rendered::body),
        Columns.of(rows, JsonObject.class, Rendered::data), Columns.of(rows, OffsetDateTime.class, Rendered::at),
        Columns.of(rows, String.class, Rendered::dedupeKey), Times.utc(now)})).map(inserted -> {
          Map<UUID, OffsetDateTime> written = new HashMap<>();
          inserted.forEach(row -> written.put(row.getUUID("id"), row.getOffsetDateTime("scheduled_at")));
          return written;
        });
  }

  /** One-time codes, tokens and links carrying them are part of the message body only, never of the stored template data. */
  private static JsonObject storedData(JsonObject data) {
    return SecretVariables.without(data);
  }
}
