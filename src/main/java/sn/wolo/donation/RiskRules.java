package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.pot.api.DonationAcceptance;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An explainable fraud score (0-100) computed when a donation is created: each rule that fires
 * adds its weight and its reason. Thresholds come from configuration.
 */
final class RiskRules {

  record Score(int value, JsonArray reasons) {
  }

  // The phone and IP velocities are counted up to their limit only (LIMIT in the sub-select, on the
  // (donor_phone|ip_address, initiated_at) indexes): the rule needs to know whether the limit is
  // reached. The pot's is summed from its per-minute counts (V28), whatever the limit: by the minute,
  // so its 10-minute window holds 10 to 11 minutes of donations.
  private static final String FACTS = """
      SELECT (SELECT count(*) FROM (SELECT 1 FROM donations.donations WHERE donor_phone = $1 AND initiated_at > $4 LIMIT $7) x) AS by_phone,
             (SELECT count(*) FROM (SELECT 1 FROM donations.donations WHERE ip_address = $2::text::inet AND initiated_at > $4 LIMIT $8) x) AS by_ip,
             (SELECT coalesce(sum(initiations), 0) FROM donations.pot_initiation_counts
              WHERE pot_id = $3 AND minute >= date_trunc('minute', $5::timestamptz)) AS by_pot,
             (SELECT count(*) FROM (SELECT 1 FROM donations.donations WHERE (donor_phone = $1 OR ip_address = $2::text::inet)
                 AND amount_cfa < $6 AND initiated_at > $4 LIMIT $9) x) AS tiny""";
  private static final int TINY_DONATIONS = 3;
  /** Rows a pot's count for one minute is spread over (its increments would otherwise queue on one row lock). */
  private static final int COUNT_SHARDS = 4;
  private static final String PURGE_COUNTS = "DELETE FROM donations.pot_initiation_counts WHERE minute < $1";

  private final Pool pool;
  private final RiskLimits limits;
  private final Clock clock;

  /** Thresholds are read at each donation: an admin may change them at runtime (issue 15). */
  RiskRules(Pool pool, RiskLimits limits, Clock clock) {
    this.pool = pool;
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * The pot's usual donation is its own running figures (donated total / successful donations, kept by
   * the pot domain), not an average computed over its donations at each new one.
   */
  Future<Score> score(DonationAcceptance pot, UUID donorUserId, String donorPhone, String ip, long amount) {
    OffsetDateTime now = Times.now(clock);
    int tiny = limits.tinyAmountCfa();
    // Read once: the phone and IP counts stop at their limits and are compared with them (one reading).
    int perPhone = limits.maxPerPhonePerHour();
    int perIp = limits.maxPerIpPerHour();
    int perPot = limits.maxPerPotPer10Minutes();
    UUID potOwner = pot.ownerUserId();
    return pool.preparedQuery(FACTS).execute(Tuple.from(new Object[] {donorPhone, ip, pot.potId(), now.minusHours(1), now.minusMinutes(10), tiny,
            perPhone, perIp, TINY_DONATIONS}))
        .map(rows -> {
          Row f = rows.iterator().next();
          int score = 0;
          JsonArray reasons = new JsonArray();
          if (donorPhone != null && f.getLong("by_phone") >= perPhone) {
            score += 40;
            reasons.add("phone_velocity");
          }
          if (ip != null && f.getLong("by_ip") >= perIp) {
            score += 35;
            reasons.add("ip_velocity");
          }
          if (f.getLong("by_pot") >= perPot) {
            score += 25;
            reasons.add("pot_velocity");
          }
          if (amount < tiny && f.getLong("tiny") >= TINY_DONATIONS) {
            score += 20;
            reasons.add("many_tiny_donations");
          }
          if (pot.succeededDonations() >= 3 && amount * pot.succeededDonations() > 10 * pot.donatedCfa()) {
            score += 25;
            reasons.add("amount_far_above_usual");
          }
          if (donorUserId != null && donorUserId.equals(potOwner)) {
            score += 30;
            reasons.add("donor_owns_pot");
          }
          return new Score(Math.min(100, score), reasons);
        });
  }

  /** The shard of a donation's pot count: spread by the donation's id. */
  static short countShard(UUID donationId) {
    return (short) Math.floorMod(donationId.hashCode(), COUNT_SHARDS);
  }

  /** Drops the pot counts older than an hour: no window reaches them. Idempotent (every instance may run it). */
  static Future<Integer> purgeCounts(Pool pool, Clock clock) {
    return pool.preparedQuery(PURGE_COUNTS).execute(Tuple.of(Times.now(clock).minusHours(1))).map(rows -> rows.rowCount());
  }

  int threshold() {
    return limits.refuseThreshold();
  }

  static JsonObject explain(Score s) {
    return new JsonObject().put("risk_score", s.value()).put("reasons", s.reasons());
  }
}
