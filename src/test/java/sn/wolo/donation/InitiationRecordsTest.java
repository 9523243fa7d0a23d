package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.OpenPots;
import sn.wolo.testing.TestDatabases;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: initiations are stored with group commit. The donations of a burst share commits, each
 * donor is answered only once their own row is stored, a row PostgreSQL refuses fails alone, and the
 * pot velocity counts hold exactly the stored donations (a refused batch's counts are rolled back
 * with it, and its rows counted once when written again).
 */
class InitiationRecordsTest {

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    var db = TestDatabases.migrated();
    pool = Pool.pool(vertx, db.connectOptions(), new PoolOptions().setMaxSize(2));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void aBurstSharesCommitsAndEveryStoredDonationIsCountedOnce() {
    UUID pot = OpenPots.one(pool, "records");
    List<Future<Void>> answers = submitAtOnce(pot, 40, -1);
    answers.forEach(a -> assertTrue(a.succeeded(), String.valueOf(a.cause())));
    assertEquals(40L, scalar("SELECT count(*) FROM donations.donations WHERE pot_id = $1", pot));
    assertEquals(40L, scalar("SELECT sum(initiations) FROM donations.pot_initiation_counts WHERE pot_id = $1", pot));
    // One commit per donation would stamp 40 different times; grouped, the first is written alone
    // (nothing else waited yet) and the 39 that queued behind it go together.
    long commits = scalar("SELECT count(DISTINCT initiated_at) FROM donations.donations WHERE pot_id = $1", pot);
    assertTrue(commits <= 2, "40 initiations submitted at once took " + commits + " commits");
  }

  @Test
  void aRowPostgresqlRefusesFailsAloneAndIsNeitherStoredNorCounted() {
    UUID pot = OpenPots.one(pool, "records");
    List<Future<Void>> answers = submitAtOnce(pot, 30, 17);   // the 18th has amount 0: CHECK (amount_cfa > 0)
    for (int i = 0; i < answers.size(); i++) {
      Future<Void> a = answers.get(i);
      if (i == 17) {
        assertTrue(a.failed(), "the refused row fails its own donor");
        assertEquals("23514", assertInstanceOf(PgException.class, a.cause()).getSqlState());
      } else {
        assertTrue(a.succeeded(), "donation " + i + " was grouped with the refused one and must still be stored: " + a.cause());
      }
    }
    assertEquals(29L, scalar("SELECT count(*) FROM donations.donations WHERE pot_id = $1", pot));
    assertEquals(29L, scalar("SELECT sum(initiations) FROM donations.pot_initiation_counts WHERE pot_id = $1", pot));
    assertEquals(0L, scalar("SELECT count(*) FROM donations.donations WHERE pot_id = $1 AND amount_cfa <= 0", pot));
  }

  @Test
  void aFailedInitiationIsStoredFailedWithItsTimeAndNoSession() {
    UUID pot = OpenPots.one(pool, "records");
    UUID id = UUID.randomUUID();
    InitiationRecords records = new InitiationRecords(pool, Clock.systemUTC());
    CompletableFuture<Future<Void>> stored = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> stored.complete(records.store(
        new InitiationRecords.Initiation(id, input(pot, 2_500, 0), 12, "failed", null, null))));
    Await.result(stored.join());
    Row r = Await.result(pool.preparedQuery("""
        SELECT status, amount_cfa, risk_score, failed_at = initiated_at AS failed_then, wave_checkout_session_id, donor_phone, host(ip_address) AS ip
        FROM donations.donations WHERE id = $1""").execute(Tuple.of(id))).iterator().next();
    assertEquals("failed", r.getString("status"));
    assertEquals(2_500, r.getInteger("amount_cfa"));
    assertEquals(12, r.getInteger("risk_score"));
    assertTrue(r.getBoolean("failed_then"));
    assertEquals(null, r.getString("wave_checkout_session_id"));
    assertEquals("+221770000000", r.getString("donor_phone"));
    assertEquals("41.0.0.0", r.getString("ip"));
  }

  /** {@code n} pending initiations submitted in one go on one event loop; the one at {@code refused} (if any) has amount 0. */
  private static List<Future<Void>> submitAtOnce(UUID pot, int n, int refused) {
    InitiationRecords records = new InitiationRecords(pool, Clock.systemUTC());
    List<Future<Void>> answers = new ArrayList<>();
    CompletableFuture<Void> submitted = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      for (int i = 0; i < n; i++) {
        UUID id = UUID.randomUUID();
        answers.add(records.store(new InitiationRecords.Initiation(id, input(pot, i == refused ? 0 : 1_000 + i, i), 0, "pending",
            "cos-" + id, "https://pay.wave.com/c/cos-" + id)));
      }
      submitted.complete(null);
    });
    submitted.join();
    Await.result(Future.join(answers).otherwiseEmpty());
    return answers;
  }

  private static DonationInput input(UUID pot, long amount, int donor) {
    return new DonationInput(pot, amount, null, "Donor " + donor, String.format("+22177%07d", donor), "Joyeux anniversaire !", false, true,
        "41.0.0." + donor, "test-agent");
  }


  private static long scalar(String sql, UUID pot) {
    return Await.result(pool.preparedQuery(sql).execute(Tuple.of(pot))).iterator().next().getLong(0);
  }
}
