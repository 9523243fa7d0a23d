package sn.wolo.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.scheduling.Batches;

import java.time.Clock;
import java.time.OffsetDateTime;

/**
 * Identity's retention rules (spec §6), run daily by one instance: sessions and refresh tokens 90
 * days after they expired or were revoked, login codes after 24 hours (the hourly limits need one),
 * password-reset tokens once used or expired; accounts whose erasure grace (30 days) has passed are erased. Deleted in batches of 5,000 rows per statement, so no
 * table is locked for long; idempotent.
 */
final class Retention {

  private static final int BATCH = 5_000;
  private static final String SESSIONS = """
      DELETE FROM identity.user_sessions WHERE ctid IN (SELECT ctid FROM identity.user_sessions
        WHERE expires_at < $1 OR revoked_at < $1 LIMIT %d)""".formatted(BATCH);
  private static final String OTP = """
      DELETE FROM identity.otp_codes WHERE ctid IN (SELECT ctid FROM identity.otp_codes WHERE created_at < $1 LIMIT %d)""".formatted(BATCH);
  private static final String RESET_TOKENS = """
      DELETE FROM identity.password_reset_tokens WHERE ctid IN (SELECT ctid FROM identity.password_reset_tokens
        WHERE used_at IS NOT NULL OR expires_at < $1 LIMIT %d)""".formatted(BATCH);

  private final Pool pool;
  private final Clock clock;
  private final Erasure erasure;

  Retention(Pool pool, Clock clock, Erasure erasure) {
    this.pool = pool;
    this.clock = clock;
    this.erasure = erasure;
  }

  /** Runs every rule; answers how many rows each deleted. */
  Future<JsonObject> run() {
    OffsetDateTime now = Times.now(clock);
    JsonObject deleted = new JsonObject();
    return drain(SESSIONS, now.minusDays(90)).map(n -> deleted.put("sessions", n))
        .compose(v -> drain(OTP, now.minusHours(24))).map(n -> deleted.put("otp_codes", n))
        .compose(v -> drain(RESET_TOKENS, now)).map(n -> deleted.put("password_reset_tokens", n))
        .compose(v -> erasure.eraseDue()).map(erased -> deleted.put("accounts_erased", erased.getInteger("erased")));
  }

  private Future<Integer> drain(String sql, OffsetDateTime cutoff) {
    return Batches.drain(() -> pool.preparedQuery(sql).execute(Tuple.of(cutoff)).map(rows -> rows.rowCount()), BATCH);
  }
}
