package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.profile.api.Profiles;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Puts a message on the durable queue ({@code notifications}, status pending): renders the template
 * (a missing variable is an error), applies the user's preferences (channel and event type
 * switches: an opted-out message is skipped) and quiet hours (the message is deferred to their end,
 * in the user's time zone), and is idempotent on {@code dedupe_key} — an event delivered twice
 * queues one message. Security messages (OTP, password reset) ignore preferences and quiet hours.
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
  /** Messages of one {@link #enqueueAll} call written at the same time at most. */
  private static final int AT_ONCE = 8;

  private static final String INSERT = """
      INSERT INTO notifications.notifications (user_id, recipient_identifier, template_id, channel, subject, body,
          template_data, status, scheduled_at, dedupe_key, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10, $10)
      ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, scheduled_at""";

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
    this.digests = new Digests(pool, templates);
  }

  /**
   * {@code {"template_key","channel","recipient","user_id"?,"locale"?,"data","dedupe_key"?}} →
   * {@code {"notification_id","status","scheduled_at"}}, or {@code {"skipped":reason}}.
   */
  Future<JsonObject> enqueue(JsonObject req) {
    check(req);
    UUID userId = userOf(req);
    if (digestible(req, userId)) return received(userId, List.of(req));
    return render(req, userId, clock.instant());
  }

  /**
   * Many messages at once (a burst's): one owner's {@code donation_received} messages on one channel
   * go to their digest in one addition (their count and total), unless the owner wants each at once;
   * the others are queued as {@link #enqueue} queues them, together. Completes when all are queued.
   */
  Future<Void> enqueueAll(List<JsonObject> requests) {
    requests.forEach(Enqueuer::check);
    Map<String, List<JsonObject>> byOwner = new LinkedHashMap<>();
    List<Supplier<Future<?>>> steps = new ArrayList<>();
    Instant now = clock.instant();
    for (JsonObject req : requests) {
      UUID userId = userOf(req);
      if (digestible(req, userId)) {
        byOwner.computeIfAbsent(userId + " " + req.getString("channel", "sms") + " " + req.getString("recipient"), k -> new ArrayList<>()).add(req);
      } else {
        steps.add(() -> render(req, userId, now));
      }
    }
    for (List<JsonObject> owner : byOwner.values()) steps.add(() -> received(userOf(owner.get(0)), owner));
    // A few at a time: a burst's messages are background work, and must neither take every pooled
    // connection from the requests being answered meanwhile nor wait on each other one by one.
    Future<?> chain = Future.succeededFuture();
    for (int from = 0; from < steps.size(); from += AT_ONCE) {
      List<Supplier<Future<?>>> window = steps.subList(from, Math.min(steps.size(), from + AT_ONCE));
      chain = chain.compose(v -> Future.join(window.stream().map(Supplier::get).toList()));
    }
    return chain.mapEmpty();
  }

  private static void check(JsonObject req) {
    String recipient = req.getString("recipient");
    if (req.getString("template_key") == null || recipient == null || recipient.isBlank()) {
      throw DomainException.invalid("invalid_notification", "template_key and recipient are required");
    }
    if (!CHANNELS.contains(req.getString("channel", "sms"))) throw DomainException.invalid("invalid_channel", "channel is one of " + CHANNELS);
  }

  private static UUID userOf(JsonObject req) {
    return req.getString("user_id") == null ? null : UUID.fromString(req.getString("user_id"));
  }

  /** A donation to an account holder's pot: bundled in their digest unless they chose "immediate". */
  private static boolean digestible(JsonObject req, UUID userId) {
    return "donation_received".equals(req.getString("template_key")) && userId != null;
  }

  /** One owner's donations on one channel and recipient: each rendered at once, or all added to the digest in one addition. */
  private Future<JsonObject> received(UUID userId, List<JsonObject> donations) {
    JsonObject first = donations.get(0);
    Instant now = clock.instant();
    return preferences.get(userId).compose(p -> {
      if ("immediate".equals(p.getString("digest_frequency"))) {
        List<Future<JsonObject>> each = donations.stream().map(req -> render(req, userId, now)).toList();
        return Future.join(each).map(v -> each.get(each.size() - 1).result());
      }
      List<Digests.Entry> entries = donations.stream().map(req -> new Digests.Entry(
          req.getString("dedupe_key", UUID.randomUUID().toString()), req.getJsonObject("data", new JsonObject()).getLong("amount", 0L))).toList();
      return digests.add(userId, first.getString("recipient"), first.getString("channel", "sms"), p.getString("digest_frequency"),
              entries, now)
          .onSuccess(v -> vertx.eventBus().send(NotificationVerticle.NUDGE, null));
    });
  }

  private Future<JsonObject> render(JsonObject req, UUID userId, Instant now) {
    String key = req.getString("template_key");
    return render(req, key, req.getString("recipient"), req.getString("channel", "sms"), CATEGORY.getOrDefault(key, "marketing_notifications"),
        req.getJsonObject("data", new JsonObject()), userId, now);
  }

  private Future<JsonObject> render(JsonObject req, String key, String recipient, String channel, String category, JsonObject data,
                                    UUID userId, Instant now) {
    return templates.get(key, req.getString("locale", "fr-SN")).compose(found -> {
      if (found.isEmpty()) return Future.failedFuture(DomainException.notFound("template_not_found", "No template " + key));
      Templates.Template t = found.get();
      String body = TemplateRenderer.text(key, t.bodyText(), t.variables(), data);
      String subject = TemplateRenderer.text(key, t.subject(), null, data);
      return schedule(userId, channel, category, now).compose(when -> {
        if (when.getString("skipped") != null) return Future.succeededFuture(when);
        OffsetDateTime at = Times.utc(Instant.parse(when.getString("at")));
        return pool.preparedQuery(INSERT).execute(Tuple.from(new Object[] {userId, recipient, t.id(), channel, subject, body,
                storedData(data), at, req.getString("dedupe_key"), Times.utc(now)}))
            .map(inserted -> inserted.size() == 0
                ? new JsonObject().put("duplicate", true)
                : new JsonObject().put("notification_id", inserted.iterator().next().getUUID("id").toString()).put("status", "pending")
                    .put("scheduled_at", inserted.iterator().next().getOffsetDateTime("scheduled_at").toInstant().toString()));
      });
    }).onSuccess(r -> {
      if (r.getString("notification_id") != null) vertx.eventBus().send(NotificationVerticle.NUDGE, null);
    });
  }

  /** When to send, or why not at all, from the user's preferences and time zone. */
  private Future<JsonObject> schedule(UUID userId, String channel, String category, Instant now) {
    if (userId == null || "security".equals(category)) return Future.succeededFuture(new JsonObject().put("at", now.toString()));
    return preferences.get(userId).compose(p -> {
      if (!p.getBoolean(channel + "_enabled", true)) return Future.succeededFuture(new JsonObject().put("skipped", "channel_disabled"));
      if (!"account".equals(category) && !p.getBoolean(category, true)) {
        return Future.succeededFuture(new JsonObject().put("skipped", "category_disabled"));
      }
      return timezone(userId).map(zone -> new JsonObject().put("at", QuietHours.nextAllowed(now, zone,
          LocalTime.parse(p.getString("quiet_hours_start")), LocalTime.parse(p.getString("quiet_hours_end"))).toString()));
    });
  }

  private Future<ZoneId> timezone(UUID userId) {
    return profiles.get(userId)
        .map(p -> ZoneId.of(p.timezone() == null ? "Africa/Dakar" : p.timezone()))
        .recover(e -> Future.succeededFuture(Times.DAKAR));
  }

  /** One-time codes, tokens and links carrying them are part of the message body only, never of the stored template data. */
  private static JsonObject storedData(JsonObject data) {
    return SecretVariables.without(data);
  }
}
