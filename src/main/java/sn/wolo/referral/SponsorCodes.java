package sn.wolo.referral;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;

/**
 * Every user's referral code: 8 characters of an unambiguous alphabet (no 0/O, 1/I/L), random,
 * unique (a collision — one in 10^12 per pair — is retried with a new code).
 */
final class SponsorCodes {

  private static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String UPSERT = """
      WITH inserted AS (INSERT INTO referrals.referral_codes (user_id, code) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING code)
      SELECT code FROM inserted UNION ALL SELECT code FROM referrals.referral_codes WHERE user_id = $1""";

  private final Pool pool;

  SponsorCodes(Pool pool) {
    this.pool = pool;
  }

  /** The user's code, made at the first request. */
  Future<String> of(UUID userId) {
    return attempt(userId, 0);
  }

  private Future<String> attempt(UUID userId, int tries) {
    return pool.preparedQuery(UPSERT).execute(Tuple.of(userId, random(8))).compose(rows -> {
      if (rows.size() > 0) return Future.succeededFuture(rows.iterator().next().getString("code"));
      if (tries >= 5) return Future.failedFuture(new IllegalStateException("no free referral code after 5 tries"));
      return attempt(userId, tries + 1);   // the code was taken by someone else: draw another
    });
  }

  Future<Optional<UUID>> owner(String code) {
    return pool.preparedQuery("SELECT user_id FROM referrals.referral_codes WHERE code = $1").execute(Tuple.of(code))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("user_id")));
  }

  static String random(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    return sb.toString();
  }
}
