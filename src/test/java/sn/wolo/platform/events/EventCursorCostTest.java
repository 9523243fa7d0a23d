package sn.wolo.platform.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.db.DatabaseSettings;
import sn.wolo.testing.TestDatabases;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a consumer's poll costs PostgreSQL does not grow with the events of other types published
 * since its cursor. A consumer whose events never come keeps its cursor where it started (the
 * lease is taken only when one of its events follows), so a poll that walked the outbox from the
 * cursor and filtered the types read the whole published outbox, every 50 ms, for each such
 * consumer: 405 ms a poll at 182,000 rows under the webhook benchmark, where a dozen consumers idle.
 * Measured as the buffers the plan touches (EXPLAIN ANALYZE), not as time; both the generic plan
 * (what a prepared statement settles on) and the custom one are checked.
 */
class EventCursorCostTest {

  private static final int NOISE = 30_000;
  private static final String[] RARE = {"cursorcost.rare_one", "cursorcost.rare_two"};
  /** An index probe per type is a handful of pages; walking 30,000 events is more than a thousand. */
  private static final int AT_MOST_BUFFERS = 60;

  private static DatabaseSettings db;

  @BeforeAll
  static void outboxFullOfOtherEvents() throws SQLException {
    db = TestDatabases.migrated();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO platform.event_cursors (consumer, relay_batch, outbox_id) VALUES ('cursorcost.idle', 0, 0), ('cursorcost.rare', 0, 0)");
      s.execute("INSERT INTO platform.event_subscriptions (consumer, event_type) VALUES ('cursorcost.idle', 'cursorcost.never'),"
          + " ('cursorcost.rare', '" + RARE[0] + "'), ('cursorcost.rare', '" + RARE[1] + "')");
      // As in production: a score of consumers, most of them idle, each on a few types.
      s.execute("""
          INSERT INTO platform.event_cursors (consumer, relay_batch, outbox_id) SELECT 'cursorcost.other' || g, 0, 0 FROM generate_series(1, 20) g;
          INSERT INTO platform.event_subscriptions (consumer, event_type)
          SELECT 'cursorcost.other' || g, 'cursorcost.other_' || t FROM generate_series(1, 20) g, generate_series(1, 3) t""");
      // Published in 300 relay batches, as the relay numbers them; one event of a rare type at the very end.
      s.execute("""
          INSERT INTO platform.outbox (event_type, aggregate_type, aggregate_id, payload, published_at, relay_batch)
          SELECT 'cursorcost.noise', 'noise', g::text, '{}', now(), 1 + g / 100
          FROM generate_series(1, %d) g""".formatted(NOISE));
      s.execute("""
          INSERT INTO platform.outbox (event_type, aggregate_type, aggregate_id, payload, published_at, relay_batch)
          VALUES ('cursorcost.rare_two', 'rare', '1', '{}', now(), %d)""".formatted(NOISE / 100 + 2));
      // Where the relay leaves each type's head when it numbers a batch (V32).
      s.execute("""
          INSERT INTO platform.outbox_type_heads (event_type, relay_batch, outbox_id)
          SELECT DISTINCT ON (event_type) event_type, relay_batch, id FROM platform.outbox WHERE relay_batch IS NOT NULL
          ORDER BY event_type, relay_batch DESC, id DESC
          ON CONFLICT (event_type) DO UPDATE SET relay_batch = EXCLUDED.relay_batch, outbox_id = EXCLUDED.outbox_id""");
      s.execute("ANALYZE platform.outbox");
    }
  }

  @Test
  void anIdleConsumersPollProbesItsTypesInsteadOfReadingTheOutbox() throws SQLException {
    for (String mode : new String[] {"force_generic_plan", "force_custom_plan"}) {
      JsonObject plan = explain(mode, "lease(text, uuid, int, varchar[])", EventCursor.LEASE,
          "'cursorcost.idle', gen_random_uuid(), 30, ARRAY['cursorcost.never']::varchar[]");
      assertEquals(0, plan.getLong("Actual Rows"), "nothing to lease for a consumer whose events never came (" + mode + ")");
      assertTrue(buffers(plan) <= AT_MOST_BUFFERS, "an idle poll touched " + buffers(plan) + " buffers (" + mode + "): " + plan.encodePrettily());
    }
  }

  @Test
  void aRareEventIsLeasedAndReadWithoutReadingTheEventsBeforeIt() throws SQLException {
    for (String mode : new String[] {"force_generic_plan", "force_custom_plan"}) {
      JsonObject lease = explain(mode, "lease(text, uuid, int, varchar[])", EventCursor.LEASE,
          "'cursorcost.rare', gen_random_uuid(), 30, ARRAY['" + RARE[0] + "', '" + RARE[1] + "']::varchar[]");
      assertEquals(1, lease.getLong("Actual Rows"), "the rare event follows the cursor (" + mode + ")");
      assertTrue(buffers(lease) <= AT_MOST_BUFFERS, "leasing touched " + buffers(lease) + " buffers (" + mode + "): " + lease.encodePrettily());
      JsonObject read = explain(mode, "page(bigint, bigint, int, varchar[])", EventCursor.READ,
          "0, 0, 500, ARRAY['" + RARE[0] + "', '" + RARE[1] + "']::varchar[]");
      assertEquals(1, read.getLong("Actual Rows"), "the page holds the rare event (" + mode + ")");
      assertTrue(buffers(read) <= AT_MOST_BUFFERS, "reading the page touched " + buffers(read) + " buffers (" + mode + "): " + read.encodePrettily());
    }
  }

  @Test
  void whatConsumersOweIsCountedWithoutReadingTheOutbox() throws SQLException {
    // The business gauges and the admin backlog read this view (every WOLO_METRICS_REFRESH_MS, on every instance).
    JsonObject plan = explain("force_custom_plan", "owed()", "SELECT consumer, count(*) FROM platform.undelivered_events"
        + " GROUP BY consumer, parked_at IS NULL", "");
    assertEquals(1, plan.getLong("Actual Rows"), "only the rare consumer owes an event");
    assertTrue(buffers(plan) <= AT_MOST_BUFFERS, "counting what consumers owe touched " + buffers(plan) + " buffers: " + plan.encodePrettily());
  }

  /** The top plan node of {@code EXPLAIN (ANALYZE, BUFFERS)} of the statement, prepared as PostgreSQL would under {@code mode}; rolled back. */
  private static JsonObject explain(String mode, String signature, String sql, String arguments) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SET plan_cache_mode = " + mode);
      String name = signature.replaceFirst("\\(.*", "");
      String parameters = signature.substring(signature.indexOf('('));
      s.execute("PREPARE " + name + ("()".equals(parameters) ? "" : " " + parameters) + " AS " + sql);
      try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE " + name + (arguments.isEmpty() ? "" : "(" + arguments + ")"))) {
        rs.next();
        JsonObject plan = new JsonArray(rs.getString(1)).getJsonObject(0).getJsonObject("Plan");
        c.rollback();
        return plan;
      }
    }
  }

  private static long buffers(JsonObject plan) {
    return plan.getLong("Shared Hit Blocks", 0L) + plan.getLong("Shared Read Blocks", 0L);
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }
}
