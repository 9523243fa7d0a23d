package sn.wolo.referral;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.db.Cursor;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Sponsors' invitations under the daily limit: at most {@code max-invitations-per-day} per sponsor
 * and Dakar day, counted in {@code sponsor_daily_limits} (a row per day; streak and lifetime total
 * carried over). A send is all or nothing: ONE conditional increment in the transaction that
 * inserts the invitations, so concurrent sends never pass the limit and the CHECK never fires;
 * a send that does not fit is refused with 429 {@code daily_invitation_limit} and
 * {@code Retry-After} = seconds to Dakar midnight. Each invitation is then delivered by the
 * notification domain ({@code referral.invitation_sent}, carrying no phone: the consumer reads it here).
 */
final class Invitations {

  private static final String OPEN_DAY = """
      INSERT INTO referrals.sponsor_daily_limits (sponsor_user_id, limit_date, max_invitations_per_day, last_reset_at, next_reset_at,
                                                   consecutive_active_days, total_lifetime_invitations)
      SELECT $1, $2::date, $3, $4, $5,
             COALESCE((SELECT CASE WHEN limit_date = $2::date - 1 AND invitations_sent_today > 0 THEN consecutive_active_days ELSE 0 END
                       FROM referrals.sponsor_daily_limits WHERE sponsor_user_id = $1 AND limit_date < $2::date ORDER BY limit_date DESC LIMIT 1), 0),
             COALESCE((SELECT total_lifetime_invitations FROM referrals.sponsor_daily_limits
                       WHERE sponsor_user_id = $1 AND limit_date < $2::date ORDER BY limit_date DESC LIMIT 1), 0)
      ON CONFLICT (sponsor_user_id, limit_date) DO NOTHING""";
  private static final String COUNT = """
      UPDATE referrals.sponsor_daily_limits
         SET invitations_sent_today = invitations_sent_today + $3, total_lifetime_invitations = total_lifetime_invitations + $3,
             consecutive_active_days = consecutive_active_days + CASE WHEN invitations_sent_today = 0 THEN 1 ELSE 0 END, updated_at = now()
      WHERE sponsor_user_id = $1 AND limit_date = $2 AND invitations_sent_today + $3 <= max_invitations_per_day
      RETURNING id, invitations_sent_today, max_invitations_per_day""";
  private static final String ALREADY_INVITED = """
      SELECT invited_phone FROM referrals.referrals WHERE sponsor_user_id = $1 AND invited_phone = ANY($2) AND status IN ('sent', 'accepted')""";
  /** All of a send's invitations in one statement (arrays unnested in order). */
  private static final String INSERT = """
      INSERT INTO referrals.referrals (sponsor_user_id, referral_code, invited_phone, invited_name, status, sent_at, expired_at, created_at,
                                       daily_limit_id, batch_id, invitation_order, channel)
      SELECT $1, t.code, t.phone, t.name, 'sent', $5, $6, $5, $7, $8, t.ord, $9
      FROM unnest($2::text[], $3::text[], $4::text[], $10::int[]) WITH ORDINALITY AS t(code, phone, name, ord, i)
      ORDER BY t.i RETURNING id, invited_name, invitation_order""";

  private final Pool pool;
  private final Clock clock;
  private final ReferralSettings settings;

  Invitations(Pool pool, Clock clock, ReferralSettings settings) {
    this.pool = pool;
    this.clock = clock;
    this.settings = settings;
  }

  /**
   * Sends to {@code contacts} ({@code [{"name","phone"}]}, normalised, without the ones to skip) and
   * answers {@code {"sent":[…],"skipped":n,"remaining_today"}}.
   */
  Future<JsonObject> send(UUID sponsor, String sponsorCode, JsonArray contacts, UUID batchId, String channel, int skippedBefore) {
    OffsetDateTime now = Times.now(clock);
    LocalDate today = Times.dakarToday(clock);
    OffsetDateTime midnight = Times.dakarMidnight(today.plusDays(1));
    List<String> phones = new ArrayList<>();
    contacts.forEach(c -> phones.add(((JsonObject) c).getString("phone")));
    return pool.withTransaction(tx -> tx.preparedQuery(ALREADY_INVITED).execute(Tuple.of(sponsor, (Object) phones.toArray(String[]::new)))
        .compose(already -> {
          Set<String> skip = new HashSet<>();
          already.forEach(r -> skip.add(r.getString("invited_phone")));
          JsonArray fresh = new JsonArray();
          contacts.forEach(c -> {
            if (!skip.contains(((JsonObject) c).getString("phone"))) fresh.add(c);
          });
          int skipped = skippedBefore + contacts.size() - fresh.size();
          if (fresh.isEmpty()) return Future.succeededFuture(new JsonObject().put("sent", new JsonArray()).put("skipped", skipped));
          return tx.preparedQuery(OPEN_DAY).execute(Tuple.of(sponsor, today, settings.maxPerDay(), Times.dakarMidnight(today), midnight))
              .compose(v -> tx.preparedQuery(COUNT).execute(Tuple.of(sponsor, today, fresh.size())))
              .compose(counted -> {
                if (counted.size() == 0) {
                  long wait = Math.max(1, Duration.between(now, midnight).getSeconds());
                  throw DomainException.rateLimited("daily_invitation_limit",
                      "At most " + settings.maxPerDay() + " invitations a day; this send does not fit in what is left today.", wait);
                }
                Row day = counted.iterator().next();
                int firstOrder = day.getInteger("invitations_sent_today") - fresh.size() + 1;
                return insert(tx, sponsor, sponsorCode, fresh, day.getUUID("id"), batchId, channel, firstOrder, now)
                    .compose(sent -> markBatch(tx, batchId, sent.size()).map(v -> new JsonObject().put("sent", sent).put("skipped", skipped)
                        .put("remaining_today", day.getInteger("max_invitations_per_day") - day.getInteger("invitations_sent_today"))));
              });
        }));
  }

  private Future<JsonArray> insert(SqlConnection tx, UUID sponsor, String sponsorCode, JsonArray fresh, UUID dayId, UUID batchId,
                                   String channel, int firstOrder, OffsetDateTime now) {
    int n = fresh.size();
    String[] codes = new String[n];
    String[] phones = new String[n];
    String[] names = new String[n];
    Integer[] orders = new Integer[n];
    for (int i = 0; i < n; i++) {
      codes[i] = sponsorCode + "-" + SponsorCodes.random(6);
      phones[i] = fresh.getJsonObject(i).getString("phone");
      names[i] = fresh.getJsonObject(i).getString("name");
      orders[i] = firstOrder + i;
    }
    return tx.preparedQuery(INSERT).execute(Tuple.tuple().addUUID(sponsor).addArrayOfString(codes).addArrayOfString(phones)
            .addArrayOfString(names).addValue(now).addValue(now.plusDays(settings.invitationDays())).addUUID(dayId).addValue(batchId)
            .addString(channel).addArrayOfInteger(orders))
        .compose(rows -> {
          JsonArray sent = new JsonArray();
          List<DomainEvent> events = new ArrayList<>(n);
          for (Row r : rows) {
            UUID id = r.getUUID("id");
            sent.add(new JsonObject().put("id", id.toString()).put("name", r.getString("invited_name")).put("invitation_order", r.getInteger("invitation_order")));
            events.add(DomainEvent.of("referral.invitation_sent", "referral", id, new JsonObject().put("referral_id", id.toString())
                .put("sponsor_user_id", sponsor.toString()).put("channel", channel), clock.instant()));
          }
          return Outbox.appendAll(tx, events).map(sent);
        });
  }

  private static Future<Void> markBatch(SqlConnection tx, UUID batchId, int sent) {
    if (batchId == null) return Future.succeededFuture();
    return tx.preparedQuery("UPDATE referrals.sponsor_contact_batches SET status = 'sent', sent_count = LEAST(50, sent_count + $2), "
        + "selected_count = LEAST(50, selected_count + $2), updated_at = now() WHERE id = $1").execute(Tuple.of(batchId, sent)).mapEmpty();
  }

  /** {@code GET /v1/referrals/limits/today}. */
  Future<JsonObject> today(UUID sponsor) {
    LocalDate today = Times.dakarToday(clock);
    return pool.preparedQuery("""
            SELECT invitations_sent_today, max_invitations_per_day, consecutive_active_days, total_lifetime_invitations
            FROM referrals.sponsor_daily_limits WHERE sponsor_user_id = $1 ORDER BY limit_date DESC LIMIT 1""").execute(Tuple.of(sponsor))
        .compose(latest -> pool.preparedQuery("SELECT invitations_sent_today FROM referrals.sponsor_daily_limits WHERE sponsor_user_id = $1 AND limit_date = $2")
            .execute(Tuple.of(sponsor, today)).map(todayRow -> {
              int sent = todayRow.size() == 0 ? 0 : todayRow.iterator().next().getInteger(0);
              Row last = latest.size() == 0 ? null : latest.iterator().next();
              return new JsonObject().put("date", today.toString()).put("max_per_day", settings.maxPerDay()).put("sent_today", sent)
                  .put("remaining", Math.max(0, settings.maxPerDay() - sent))
                  .put("resets_at", Times.dakarMidnight(today.plusDays(1)).toInstant().toString())
                  .put("lifetime_invitations", last == null ? 0 : last.getInteger("total_lifetime_invitations"))
                  .put("streak_days", last == null ? 0 : last.getInteger("consecutive_active_days"));
            }));
  }

  /** {@code GET /v1/referrals}: my invitations newest first, by keyset pages ({@code {"items","next_cursor"}}): no duplicate or gap while I invite. */
  Future<JsonObject> mine(UUID sponsor, String status, String cursor, int limit) {
    Cursor after = Cursor.decode(cursor);
    return pool.preparedQuery("""
            SELECT id, invited_name, invited_phone, channel, status, sent_at, accepted_at, expired_at, via_shared_code
            FROM referrals.referrals WHERE sponsor_user_id = $1 AND ($2::text IS NULL OR status = $2)
              AND ($3::timestamptz IS NULL OR (sent_at, id) < ($3::timestamptz, $4::uuid))
            ORDER BY sent_at DESC, id DESC LIMIT $5""")
        .execute(Tuple.of(sponsor, status, after == null ? null : after.at(), after == null ? null : after.id(), limit + 1))
        .map(rows -> Cursor.page(rows, limit, "sent_at", r -> new JsonObject().put("id", r.getUUID("id").toString())
            .put("name", r.getString("invited_name")).put("phone", r.getString("invited_phone")).put("channel", r.getString("channel"))
            .put("status", r.getString("status")).put("via_shared_code", r.getBoolean("via_shared_code"))
            .put("sent_at", r.getOffsetDateTime("sent_at").toInstant().toString())
            .put("accepted_at", r.getOffsetDateTime("accepted_at") == null ? null : r.getOffsetDateTime("accepted_at").toInstant().toString())
            .put("expires_at", r.getOffsetDateTime("expired_at").toInstant().toString())));
  }

  /** Invitations past their deadline become expired (SKIP LOCKED: any number of instances). */
  Future<Integer> expireDue(SqlConnection tx, int limit) {
    return tx.preparedQuery("""
            UPDATE referrals.referrals SET status = 'expired' WHERE id IN (
              SELECT id FROM referrals.referrals WHERE status = 'sent' AND expired_at <= $1 ORDER BY expired_at LIMIT $2 FOR UPDATE SKIP LOCKED)""")
        .execute(Tuple.of(Times.now(clock), limit)).map(rows -> rows.rowCount());
  }
}
