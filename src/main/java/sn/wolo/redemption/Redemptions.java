package sn.wolo.redemption;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.Times;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;
import sn.wolo.platform.security.KeyRing;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A partner's scanner checks ({@code validate}) or consumes ({@code redeem}) a gift by its token.
 * The gift row is locked, the outcome decided, the gift marked redeemed on success, and a
 * {@code qr_redemption_logs} row written for EVERY attempt — all in one transaction, committed
 * before the answer (so failures are logged too). Concurrent scans of one token serialise on the
 * row: exactly one succeeds, the others read {@code already_used}.
 *
 * <p>Tokens carry 256 random bits, so guessing is hopeless; trying is still detected: the
 * {@code suspicious-failures}-th scan of an unknown or another partner's token by one partner user
 * within an hour (and every multiple) logs an ALERT and writes {@code redemption.suspicious_scans}
 * (audited). A used or expired gift scanned again is a customer's mistake, not a guess.
 */
final class Redemptions {

  /** The partner user scanning, as the pack domain and the edge know them. */
  record Scanner(UUID userId, UUID partnerId, String partnerStatus, JsonArray partnerVenues, String ip, String userAgent) {
  }

  private static final Logger log = LoggerFactory.getLogger(Redemptions.class);
  private static final String FIND = """
      SELECT q.id, q.status, q.partner_id, q.redeemable_from, q.expires_at, q.pack_name, q.price_paid_cfa, q.pot_id, q.owner_user_id,
             p.venue_restrictions
      FROM redemption.qr_codes q JOIN packs.packs p ON p.id = q.pack_id WHERE q.code = $1 FOR UPDATE OF q""";
  private static final String REDEEM = """
      UPDATE redemption.qr_codes SET status = 'redeemed', redeemed_at = $2, redeemed_by_partner_id = $3, redeemed_by_user_id = $4,
             redeemed_location_id = $5, redeemed_at_venue = $6
      WHERE id = $1 AND status = 'issued'""";
  private static final String LOG = """
      INSERT INTO redemption.qr_redemption_logs (qr_code_id, partner_user_id, partner_id, attempt_timestamp, validation_result,
                                                 error_message, ip_address, user_agent, venue_context, action)
      VALUES ($1, $2, $3, $4, $5, $6, CAST($7::text AS inet), $8, $9, $10)""";
  private static final String RECENT_FAILURES = """
      SELECT count(*) FROM redemption.qr_redemption_logs
      WHERE partner_user_id = $1 AND validation_result IN ('invalid', 'wrong_partner') AND attempt_timestamp > $2""";

  private final Pool pool;
  private final Clock clock;
  private final KeyRing keys;
  private final int suspiciousFailures;

  Redemptions(Pool pool, Clock clock, KeyRing keys, int suspiciousFailures) {
    this.pool = pool;
    this.clock = clock;
    this.keys = keys;
    this.suspiciousFailures = suspiciousFailures;
  }

  /** {@code consume}: redeem; otherwise only validate. Answers the gift, or fails with the outcome's error after logging it. */
  Future<JsonObject> scan(Scanner scanner, String token, String locationId, boolean consume) {
    OffsetDateTime now = Times.now(clock);
    String hash = keys.hmac(GiftConversion.TOKEN_PURPOSE, token == null ? "" : token);
    return pool.withTransaction(tx -> tx.preparedQuery(FIND).execute(Tuple.of(hash)).compose(rows -> {
      Row gift = rows.size() == 0 ? null : rows.iterator().next();
      ScanOutcome outcome = ScanOutcome.of(gift, scanner, locationId, now);
      JsonObject venue = venue(scanner, locationId);
      Future<Void> applied = consume && outcome == ScanOutcome.SUCCESS
          ? tx.preparedQuery(REDEEM).execute(Tuple.of(gift.getUUID("id"), now, scanner.partnerId(), scanner.userId(), locationId, venue))
              .compose(v -> Outbox.append(tx, redeemed(gift, scanner, locationId, now)))
          : Future.succeededFuture();
      return applied.compose(v -> logAttempt(tx, gift, scanner, outcome, venue, consume, now))
          .compose(v -> outcome != ScanOutcome.INVALID && outcome != ScanOutcome.WRONG_PARTNER ? Future.succeededFuture() : watchFailures(tx, scanner, now))
          .map(v -> new Result(outcome, gift == null ? null : view(gift, outcome, consume, now)));
    })).map(result -> {
      if (result.outcome() != ScanOutcome.SUCCESS && (consume || result.gift() == null || result.outcome().hidesGift())) {
        throw result.outcome().error();
      }
      return result.gift();
    });
  }

  private record Result(ScanOutcome outcome, JsonObject gift) {
  }

  private Future<Void> logAttempt(SqlConnection tx, Row gift, Scanner s, ScanOutcome outcome, JsonObject venue, boolean consume, OffsetDateTime now) {
    return tx.preparedQuery(LOG).execute(Tuple.tuple().addValue(gift == null ? null : gift.getUUID("id")).addUUID(s.userId())
            .addUUID(s.partnerId()).addValue(now).addString(outcome.logResult()).addString(outcome == ScanOutcome.SUCCESS ? null : outcome.error().code())
            .addString(s.ip()).addString(s.userAgent() == null ? null : s.userAgent().substring(0, Math.min(300, s.userAgent().length())))
            .addValue(venue).addString(consume ? "redeem" : "validate"))
        .mapEmpty();
  }

  /** The N-th failure within an hour (and every N-th after) raises the alarm once per step, not per scan. */
  private Future<Void> watchFailures(SqlConnection tx, Scanner s, OffsetDateTime now) {
    return tx.preparedQuery(RECENT_FAILURES).execute(Tuple.of(s.userId(), now.minusHours(1))).compose(rows -> {
      long failures = rows.iterator().next().getLong(0);
      if (failures == 0 || failures % suspiciousFailures != 0) return Future.succeededFuture();
      log.error("ALERT suspicious QR scans: partner user {} of partner {} failed {} scans within an hour", s.userId(), s.partnerId(), failures);
      return Outbox.append(tx, DomainEvent.of("redemption.suspicious_scans", "partner", s.partnerId(), new JsonObject()
          .put("partner_id", s.partnerId().toString()).put("partner_user_id", s.userId().toString())
          .put("failed_scans_last_hour", failures), clock.instant()));
    });
  }

  private DomainEvent redeemed(Row gift, Scanner s, String locationId, OffsetDateTime now) {
    return DomainEvent.of("gift.redeemed", "gift", gift.getUUID("id"), new JsonObject().put("gift_id", gift.getUUID("id").toString())
        .put("pot_id", gift.getUUID("pot_id").toString()).put("owner_user_id", gift.getUUID("owner_user_id").toString())
        .put("partner_id", s.partnerId().toString()).put("partner_user_id", s.userId().toString()).put("location_id", locationId)
        .put("price_cfa", gift.getLong("price_paid_cfa")).put("redeemed_at", now.toInstant().toString()), clock.instant());
  }

  private static JsonObject venue(Scanner s, String locationId) {
    if (locationId == null) return null;
    for (Object v : s.partnerVenues()) {
      if (v instanceof JsonObject o && locationId.equals(o.getString("id"))) return o;
    }
    return new JsonObject().put("id", locationId);
  }

  /** What the scanner shows: never the owner's identity nor the token. */
  private static JsonObject view(Row gift, ScanOutcome outcome, boolean consume, OffsetDateTime now) {
    return new JsonObject().put("gift_id", gift.getUUID("id").toString()).put("pack_name", gift.getString("pack_name"))
        .put("redeemable", outcome == ScanOutcome.SUCCESS).put("result", outcome == ScanOutcome.SUCCESS ? (consume ? "redeemed" : "valid") : outcome.error().code())
        .put("status", consume && outcome == ScanOutcome.SUCCESS ? "redeemed" : gift.getString("status"))
        .put("redeemable_from", gift.getOffsetDateTime("redeemable_from").toInstant().toString())
        .put("expires_at", gift.getOffsetDateTime("expires_at").toInstant().toString())
        .put("redeemed_at", consume && outcome == ScanOutcome.SUCCESS ? now.toInstant().toString() : null);
  }
}
