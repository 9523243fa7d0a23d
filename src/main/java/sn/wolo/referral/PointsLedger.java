package sn.wolo.referral;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.EventConsumer;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Sponsors' points: an append-only ledger. Earned lines are {@code pending → matured | revoked};
 * one line per (referral, event) by a unique index. A line matures {@code maturation-days} after it
 * was earned (the refund window), unless the invitee is a minor whose guardian and ID are not yet
 * confirmed (held). A refund of the donation behind a line, or the invitee's erasure, revokes it; a
 * line that had matured is never edited — an {@code adjustment} line spends its points instead.
 * Balance = Σ matured earned − Σ spent.
 *
 * <p>Fed by the durable consumer {@code referral.points} (its transaction records each event once).
 */
final class PointsLedger {

  static final String CONSUMER = "referral.points";
  static final Set<String> EVENTS = Set.of("pot.opened", "pot.credited", "donation.refunded", "identity.user_erased");

  private static final String EARN = """
      INSERT INTO referrals.points_ledger (sponsor_user_id, referral_id, invitee_user_id, event_type, points_earned, status, matures_at,
                                           description, metadata, created_at, sponsor_boost_multiplier)
      VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, $10)
      ON CONFLICT (referral_id, event_type) WHERE referral_id IS NOT NULL DO NOTHING""";
  private static final String ACCEPTED_REFERRAL_OF = """
      SELECT id, sponsor_user_id FROM referrals.referrals WHERE sponsored_user_id = $1 AND status = 'accepted'""";
  private static final String ACCEPTED_REFERRALS_OF = """
      SELECT sponsored_user_id, id, sponsor_user_id FROM referrals.referrals WHERE sponsored_user_id = ANY($1) AND status = 'accepted'""";
  private static final String BALANCE = """
      SELECT COALESCE(sum(points_earned) FILTER (WHERE status = 'matured'), 0) - COALESCE(sum(points_spent), 0) AS balance,
             COALESCE(sum(points_earned) FILTER (WHERE status = 'pending'), 0) AS pending
      FROM referrals.points_ledger WHERE sponsor_user_id = $1""";

  private final Pool pool;
  private final Clock clock;
  private final ReferralSettings settings;

  PointsLedger(Pool pool, Clock clock, ReferralSettings settings) {
    this.pool = pool;
    this.clock = clock;
    this.settings = settings;
  }

  /**
   * The consumer's lane of an event: the person whose referral it concerns (a pot's owner, an erased
   * user), so one referral's lines are written by one lane; a refund, which names only its donation,
   * goes by its aggregate.
   */
  static String laneOf(DomainEvent e) {
    JsonObject p = e.payload();
    String person = p.getString("owner_user_id") != null ? p.getString("owner_user_id") : p.getString("user_id");
    return person != null ? person : e.aggregateId();
  }

  /**
   * A lane's events in order. A burst is mostly donations to pots whose owners were never referred:
   * the owners' accepted referrals are read once for the lane instead of once per donation. (A lane
   * that erases someone goes event by event: the erasure changes what later events would read.)
   */
  Future<Void> applyAll(SqlConnection tx, List<DomainEvent> events) {
    if (events.stream().anyMatch(e -> "identity.user_erased".equals(e.type()))) {
      return EventConsumer.BatchHandler.ofEach(this::apply).handle(tx, events);
    }
    UUID[] owners = events.stream().filter(PointsLedger::earnsFirstDonation).map(e -> UUID.fromString(e.payload().getString("owner_user_id")))
        .distinct().toArray(UUID[]::new);
    Future<Map<UUID, Row>> referrals = owners.length == 0 ? Future.succeededFuture(Map.of())
        : tx.preparedQuery(ACCEPTED_REFERRALS_OF).execute(Tuple.of((Object) owners)).map(rows -> {
          Map<UUID, Row> byInvitee = new HashMap<>();
          rows.forEach(r -> byInvitee.put(r.getUUID("sponsored_user_id"), r));
          return byInvitee;
        });
    return referrals.compose(byInvitee -> {
      Future<Void> chain = Future.succeededFuture();
      for (DomainEvent e : events) {
        if (!earnsFirstDonation(e)) {
          chain = chain.compose(v -> apply(tx, e));
          continue;
        }
        UUID invitee = UUID.fromString(e.payload().getString("owner_user_id"));
        Row referral = byInvitee.get(invitee);
        if (referral == null) continue;
        chain = chain.compose(v -> earn(tx, referral.getUUID("id"), referral.getUUID("sponsor_user_id"), invitee, "first_donation",
            settings.pointsFirstDonation(), firstDonation(e.payload())));
      }
      return chain;
    });
  }

  /** A credited donation to an owner's pot: their sponsor's "first donation" points, if they were referred. */
  private static boolean earnsFirstDonation(DomainEvent e) {
    return "pot.credited".equals(e.type()) && e.payload().getString("donation_id") != null && e.payload().getString("owner_user_id") != null;
  }

  private static JsonObject firstDonation(JsonObject p) {
    return new JsonObject().put("pot_id", p.getString("pot_id")).put("donation_id", p.getString("donation_id"));
  }

  Future<Void> apply(SqlConnection tx, DomainEvent e) {
    JsonObject p = e.payload();
    return switch (e.type()) {
      case "pot.opened" -> earnForInvitee(tx, p.getString("owner_user_id"), "pot_opened", settings.pointsPotOpened(),
          new JsonObject().put("pot_id", p.getString("pot_id")));
      case "pot.credited" -> p.getString("donation_id") == null ? Future.succeededFuture()
          : earnForInvitee(tx, p.getString("owner_user_id"), "first_donation", settings.pointsFirstDonation(), firstDonation(p));
      case "donation.refunded" -> revoke(tx, "metadata ->> 'donation_id' = $1", p.getString("donation_id"), "donation refunded");
      default -> revoke(tx, "invitee_user_id::text = $1", p.getString("user_id"), "invitee erased")
          .compose(v -> ReferralErasure.erase(tx, UUID.fromString(p.getString("user_id"))));
    };
  }

  /** The invitee's activity earns their sponsor points, if they were referred. */
  private Future<Void> earnForInvitee(SqlConnection tx, String invitee, String event, int points, JsonObject metadata) {
    if (invitee == null) return Future.succeededFuture();
    return tx.preparedQuery(ACCEPTED_REFERRAL_OF).execute(Tuple.of(UUID.fromString(invitee))).compose(rows -> {
      if (rows.size() == 0) return Future.succeededFuture();
      Row r = rows.iterator().next();
      return earn(tx, r.getUUID("id"), r.getUUID("sponsor_user_id"), UUID.fromString(invitee), event, points, metadata);
    });
  }

  /**
   * Writes the line (once per referral and event). While a sponsor campaign runs, the points are
   * boosted by its multiplier — floor(base × multiplier) — and the campaign pays for the extra points
   * at the conversion rate, by a conditional increment that never passes its budget (no budget left:
   * base points). The campaign is named in the line's metadata.
   */
  Future<Void> earn(SqlConnection tx, UUID referralId, UUID sponsor, UUID invitee, String event, int points, JsonObject metadata) {
    OffsetDateTime now = Times.now(clock);
    return tx.preparedQuery("SELECT 1 FROM referrals.points_ledger WHERE referral_id = $1 AND event_type = $2").execute(Tuple.of(referralId, event))
        .compose(existing -> existing.size() > 0 ? Future.succeededFuture((Row) null) : boost(tx, points, now))
        .compose(campaign -> {
          int earned = campaign == null ? points : boosted(points, campaign.getBigDecimal("points_multiplier"));
          JsonObject meta = campaign == null ? metadata : metadata.copy().put("campaign_id", campaign.getUUID("id").toString());
          return tx.preparedQuery(EARN).execute(Tuple.tuple().addUUID(sponsor).addUUID(referralId).addUUID(invitee).addString(event)
              .addInteger(earned).addValue(now.plusDays(settings.maturationDays())).addString(event.replace('_', ' ')).addValue(meta)
              .addValue(now).addValue(campaign == null ? java.math.BigDecimal.ONE : campaign.getBigDecimal("points_multiplier")));
        }).mapEmpty();
  }

  /** The running campaign that pays for the extra points of this line, or null. */
  private Future<Row> boost(SqlConnection tx, int points, OffsetDateTime now) {
    return tx.preparedQuery("""
            SELECT id, points_multiplier FROM packs.sponsor_campaigns
            WHERE status = 'active' AND starts_at <= $1 AND ends_at > $1 ORDER BY points_multiplier DESC, starts_at LIMIT 1""")
        .execute(Tuple.of(now)).compose(rows -> {
          if (rows.size() == 0) return Future.succeededFuture(null);
          Row c = rows.iterator().next();
          long cost = (long) (boosted(points, c.getBigDecimal("points_multiplier")) - points) * settings.conversionRateCfa();
          if (cost <= 0) return Future.succeededFuture(null);
          return tx.preparedQuery("""
                  UPDATE packs.sponsor_campaigns SET spent_cfa = spent_cfa + $2, updated_at = now(),
                         status = CASE WHEN spent_cfa + $2 = budget_cfa THEN 'completed' ELSE status END
                  WHERE id = $1 AND status = 'active' AND spent_cfa + $2 <= budget_cfa RETURNING id, points_multiplier""")
              .execute(Tuple.of(c.getUUID("id"), (int) cost)).map(paid -> paid.size() == 0 ? null : paid.iterator().next());
        });
  }

  private static int boosted(int points, java.math.BigDecimal multiplier) {
    return java.math.BigDecimal.valueOf(points).multiply(multiplier).setScale(0, java.math.RoundingMode.FLOOR).intValueExact();
  }

  /** Pending lines are revoked; matured ones stay as they are and an adjustment line spends their points. */
  private Future<Void> revoke(SqlConnection tx, String where, String value, String reason) {
    if (value == null) return Future.succeededFuture();
    OffsetDateTime now = Times.now(clock);
    return tx.preparedQuery("UPDATE referrals.points_ledger SET status = 'revoked', revoked_at = $2 "
            + "WHERE status = 'pending' AND points_earned > 0 AND " + where + " RETURNING id")
        .execute(Tuple.of(value, now))
        .compose(v -> tx.preparedQuery("SELECT id, sponsor_user_id, points_earned FROM referrals.points_ledger WHERE status = 'matured' "
            + "AND points_earned > 0 AND " + where + " AND NOT EXISTS (SELECT 1 FROM referrals.points_ledger a "
            + "WHERE a.event_type = 'adjustment' AND a.metadata ->> 'revokes' = points_ledger.id::text)").execute(Tuple.of(value)))
        .compose(matured -> adjust(tx, matured, reason, now));
  }

  private Future<Void> adjust(SqlConnection tx, RowSet<Row> matured, String reason, OffsetDateTime now) {
    Future<Void> chain = Future.succeededFuture();
    for (Row r : matured) {
      chain = chain.compose(v -> tx.preparedQuery("""
              INSERT INTO referrals.points_ledger (sponsor_user_id, event_type, points_spent, status, matured_at, description, metadata, created_at)
              VALUES ($1, 'adjustment', $2, 'matured', $3, $4, $5, $3)""")
          .execute(Tuple.tuple().addUUID(r.getUUID("sponsor_user_id")).addInteger(r.getInteger("points_earned")).addValue(now)
              .addString(reason).addValue(new JsonObject().put("revokes", r.getUUID("id").toString())))
          .mapEmpty());
    }
    return chain;
  }

  /** Due pending lines (oldest first), with the invitee each depends on. */
  Future<List<Row>> due(int limit) {
    return pool.preparedQuery("SELECT id, invitee_user_id FROM referrals.points_ledger WHERE status = 'pending' AND matures_at <= $1 "
            + "ORDER BY matures_at LIMIT $2").execute(Tuple.of(Times.now(clock), limit))
        .map(rows -> {
          List<Row> out = new java.util.ArrayList<>();
          rows.forEach(out::add);
          return out;
        });
  }

  Future<Integer> mature(List<UUID> ids) {
    if (ids.isEmpty()) return Future.succeededFuture(0);
    return pool.preparedQuery("UPDATE referrals.points_ledger SET status = 'matured', matured_at = $2 WHERE id = ANY($1) AND status = 'pending'")
        .execute(Tuple.of(ids.toArray(UUID[]::new), Times.now(clock))).map(rows -> rows.rowCount());
  }

  /** A held line (minor invitee not yet confirmed) is looked at again a day later. */
  Future<Void> hold(List<UUID> ids) {
    if (ids.isEmpty()) return Future.succeededFuture();
    return pool.preparedQuery("UPDATE referrals.points_ledger SET matures_at = $2 WHERE id = ANY($1) AND status = 'pending'")
        .execute(Tuple.of(ids.toArray(UUID[]::new), Times.now(clock).plusDays(1))).mapEmpty();
  }

  Future<JsonObject> balance(SqlConnection tx, UUID sponsor) {
    return tx.preparedQuery(BALANCE).execute(Tuple.of(sponsor)).map(rows -> {
      Row r = rows.iterator().next();
      return new JsonObject().put("balance", r.getLong("balance")).put("pending", r.getLong("pending"));
    });
  }

  /** {@code GET /v1/me/points}: balance, pending points, history newest first by keyset pages ({@code history}, {@code next_cursor}). */
  Future<JsonObject> view(UUID sponsor, String cursor, int limit) {
    sn.wolo.platform.db.Cursor after = sn.wolo.platform.db.Cursor.decode(cursor);
    return pool.withConnection(c -> balance(c, sponsor).compose(b -> c.preparedQuery("""
            SELECT id, event_type, points_earned, points_spent, status, matures_at, matured_at, description, created_at
            FROM referrals.points_ledger WHERE sponsor_user_id = $1
              AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
            ORDER BY created_at DESC, id DESC LIMIT $4""")
        .execute(Tuple.of(sponsor, after == null ? null : after.at(), after == null ? null : after.id(), limit + 1)).map(rows -> {
          JsonObject page = sn.wolo.platform.db.Cursor.page(rows, limit, "created_at", r -> new JsonObject().put("id", r.getUUID("id").toString())
              .put("event", r.getString("event_type"))
              .put("points", r.getInteger("points_earned") > 0 ? r.getInteger("points_earned") : -r.getInteger("points_spent"))
              .put("status", r.getString("status")).put("description", r.getString("description"))
              .put("matures_at", r.getOffsetDateTime("matures_at") == null ? null : r.getOffsetDateTime("matures_at").toInstant().toString())
              .put("created_at", r.getOffsetDateTime("created_at").toInstant().toString()));
          return b.put("conversion_rate_cfa", settings.conversionRateCfa()).put("min_conversion_points", settings.minConversionPoints())
              .put("history", page.getJsonArray("items")).put("next_cursor", page.getString("next_cursor"));
        })));
  }
}
