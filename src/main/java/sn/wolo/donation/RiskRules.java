package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;

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

  private static final String FACTS = """
      SELECT (SELECT count(*) FROM donations.donations WHERE donor_phone = $1 AND initiated_at > $4) AS by_phone,
             (SELECT count(*) FROM donations.donations WHERE ip_address = $2::text::inet AND initiated_at > $4) AS by_ip,
             (SELECT count(*) FROM donations.donations WHERE pot_id = $3 AND initiated_at > $5) AS by_pot,
             (SELECT count(*) FROM donations.donations WHERE (donor_phone = $1 OR ip_address = $2::text::inet)
                 AND amount_cfa < $6 AND initiated_at > $4) AS tiny,
             (SELECT avg(amount_cfa) FROM donations.donations WHERE pot_id = $3 AND status = 'succeeded') AS usual,
             (SELECT count(*) FROM donations.donations WHERE pot_id = $3 AND status = 'succeeded') AS succeeded""";

  private final Pool pool;
  private final RiskLimits limits;
  private final Clock clock;

  /** Thresholds are read at each donation: an admin may change them at runtime (issue 15). */
  RiskRules(Pool pool, RiskLimits limits, Clock clock) {
    this.pool = pool;
    this.limits = limits;
    this.clock = clock;
  }

  Future<Score> score(UUID potId, UUID potOwner, UUID donorUserId, String donorPhone, String ip, long amount) {
    OffsetDateTime now = Times.now(clock);
    int tiny = limits.tinyAmountCfa();
    return pool.preparedQuery(FACTS).execute(Tuple.from(new Object[] {donorPhone, ip, potId, now.minusHours(1), now.minusMinutes(10), tiny}))
        .map(rows -> {
          Row f = rows.iterator().next();
          int score = 0;
          JsonArray reasons = new JsonArray();
          if (donorPhone != null && f.getLong("by_phone") >= limits.maxPerPhonePerHour()) {
            score += 40;
            reasons.add("phone_velocity");
          }
          if (ip != null && f.getLong("by_ip") >= limits.maxPerIpPerHour()) {
            score += 35;
            reasons.add("ip_velocity");
          }
          if (f.getLong("by_pot") >= limits.maxPerPotPer10Minutes()) {
            score += 25;
            reasons.add("pot_velocity");
          }
          if (amount < tiny && f.getLong("tiny") >= 3) {
            score += 20;
            reasons.add("many_tiny_donations");
          }
          Number usual = (Number) f.getValue("usual");
          if (usual != null && f.getLong("succeeded") >= 3 && amount > 10 * usual.doubleValue()) {
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

  int threshold() {
    return limits.refuseThreshold();
  }

  static JsonObject explain(Score s) {
    return new JsonObject().put("risk_score", s.value()).put("reasons", s.reasons());
  }
}
