package sn.wolo.identity;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.bus.Bus;
import sn.wolo.testing.Await;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue 15: sessions go 90 days after they ended, login codes after a day, reset tokens once spent; fresh ones stay. */
class RetentionTest {

  @Test
  void oldSessionsCodesAndResetTokensArePurgedFreshOnesStay() {
    MutableClock clock = new MutableClock(Instant.parse("2027-01-10T12:00:00Z"));
    try (TestApp app = TestApp.start(Map.of("otp.max-per-ip-per-hour", "1000", "auth.rate-limit-per-minute", "1000"), clock)) {
      String old = app.accounts().otpLogin("+221775570001").getString("user_id");
      // 30-day refresh sessions: 121 days later they ended 91 days ago; the codes are four months old.
      clock.advance(Duration.ofDays(121));
      String fresh = app.accounts().otpLogin("+221775570002").getString("user_id");
      Await.result(app.sql().preparedQuery("""
          INSERT INTO identity.password_reset_tokens (user_id, token_hash, expires_at, used_at) VALUES
            ($1, 'spent', now() + interval '1 hour', now()), ($1, 'expired', now() - interval '1 hour', NULL),
            ($1, 'valid', $2::timestamptz + interval '1 hour', NULL)""").execute(Tuple.of(UUID.fromString(fresh), clock.instant().atOffset(java.time.ZoneOffset.UTC))));

      JsonObject deleted = Await.result(Bus.call(app.vertx(), IdentityVerticle.address("retention"), new JsonObject()));
      assertEquals(1, deleted.getInteger("sessions"));
      assertEquals(1, count(app, "SELECT count(*) FROM identity.user_sessions WHERE user_id = $1", UUID.fromString(fresh)));
      assertEquals(0, count(app, "SELECT count(*) FROM identity.user_sessions WHERE user_id = $1", UUID.fromString(old)));
      assertEquals(0, count(app, "SELECT count(*) FROM identity.otp_codes WHERE phone = '+221775570001'"), "a four-month-old code is gone");
      assertEquals(1, count(app, "SELECT count(*) FROM identity.otp_codes WHERE phone = '+221775570002'"), "today's code stays (hourly limits)");
      assertEquals(1, count(app, "SELECT count(*) FROM identity.password_reset_tokens WHERE user_id = $1", UUID.fromString(fresh)), "only the valid one");
      assertEquals(0, Await.result(Bus.call(app.vertx(), IdentityVerticle.address("retention"), new JsonObject())).getInteger("sessions"),
          "idempotent");
    }
  }

  private static long count(TestApp app, String sql, Object... params) {
    return Await.result(app.sql().preparedQuery(sql).execute(Tuple.from(params))).iterator().next().getLong(0);
  }
}
