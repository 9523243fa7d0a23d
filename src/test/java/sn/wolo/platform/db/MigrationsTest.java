package sn.wolo.platform.db;

import org.junit.jupiter.api.Test;
import sn.wolo.testing.TestDatabases;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationsTest {

  /** The spec's 37 tables, each in its service's schema, with key columns the code relies on. */
  private static final Map<String, List<String>> SPEC_TABLES = new HashMap<>();

  static {
    spec("identity.users", "id", "phone", "email", "auth_provider", "roles", "is_active", "password_hash");
    spec("identity.user_sessions", "id", "user_id", "token_hash", "device_info", "ip_address", "expires_at", "is_revoked");
    spec("identity.password_reset_tokens", "id", "user_id", "token_hash", "expires_at", "used_at");
    spec("profiles.profiles", "user_id", "full_name", "date_of_birth", "locale", "timezone", "guardian_user_id",
        "relationship_type", "id_number", "id_hash", "id_verified_at", "id_verified_by", "is_profile_public");
    spec("profiles.user_addresses", "id", "user_id", "type", "city", "region", "country", "is_default");
    spec("referrals.referrals", "id", "sponsor_user_id", "referral_code", "status", "sponsored_user_id",
        "daily_limit_id", "batch_id", "invitation_order");
    spec("referrals.points_ledger", "id", "sponsor_user_id", "referral_id", "event_type", "points_earned", "points_spent", "status");
    spec("referrals.points_conversions", "id", "sponsor_user_id", "points_converted", "credits_issued", "applied_to_pot_id");
    spec("referrals.sponsor_daily_limits", "id", "sponsor_user_id", "limit_date", "max_invitations_per_day", "invitations_sent_today");
    spec("referrals.sponsor_contact_batches", "id", "sponsor_user_id", "batch_date", "batch_number", "start_position", "end_position");
    spec("pots.pots", "id", "owner_user_id", "title", "target_amount_cfa", "birthday_date", "scheduled_open_at",
        "status", "visibility", "preferred_pack_id", "share_count", "view_count");
    spec("pots.pot_invitations", "id", "pot_id", "invited_by_user_id", "invitation_method", "recipient_identifier",
        "opened_at", "clicked_at");
    spec("pots.pot_analytics", "id", "pot_id", "snapshot_date", "total_raised_cfa", "donor_count", "conversion_rate");
    spec("donations.donations", "id", "pot_id", "donor_user_id", "amount_cfa", "wave_transaction_id", "status",
        "is_anonymous", "show_amount", "risk_score");
    spec("donations.wave_webhook_events", "id", "wave_event_id", "event_type", "donation_id", "raw_payload",
        "processed_at", "processing_error", "retry_count");
    spec("donations.refunds", "id", "donation_id", "amount_cfa", "reason", "wave_refund_id", "wave_refund_status");
    spec("donations.donation_analytics", "id", "period_type", "period_start", "period_end", "total_amount_cfa");
    spec("packs.packs", "id", "name", "category", "base_price_cfa", "partner_id", "validity_days");
    spec("packs.partners", "id", "name", "type", "revenue_split_percentage", "status");
    spec("packs.sponsor_campaigns", "id", "sponsor_company_name", "points_multiplier", "budget_cfa", "starts_at", "ends_at");
    spec("redemption.qr_codes", "id", "pot_id", "pack_id", "code", "redeemable_from", "expires_at", "status");
    spec("redemption.partner_settlements", "id", "partner_id", "period_start", "period_end", "partner_share_cfa", "wolo_commission_cfa");
    spec("redemption.qr_redemption_logs", "id", "qr_code_id", "partner_user_id", "validation_result");
    spec("notifications.notification_templates", "id", "template_key", "body_text", "channels", "locale", "variables", "version");
    spec("notifications.notifications", "id", "user_id", "recipient_identifier", "template_id", "channel", "body",
        "status", "scheduled_at", "retry_count", "max_retries", "next_retry_at");
    spec("notifications.notification_preferences", "user_id", "email_enabled", "sms_enabled", "whatsapp_enabled",
        "digest_frequency", "quiet_hours_start", "quiet_hours_end");
    spec("notifications.notification_analytics", "id", "date", "template_key", "channel", "sent_count", "delivered_count");
    spec("analytics.analytics_events", "id", "event_name", "event_category", "user_id", "anonymous_id", "properties", "timestamp");
    spec("analytics.business_metrics", "id", "metric_date", "metric_type", "metric_value", "dimensions");
    spec("analytics.funnel_analytics", "id", "funnel_name", "step_number", "period_start", "segment_filters");
    spec("analytics.ab_tests", "id", "test_name", "variants", "traffic_allocation", "status");
    spec("analytics.ab_test_assignments", "id", "test_id", "user_id", "anonymous_id", "variant");
    spec("admin.feature_flags", "id", "flag_key", "is_enabled", "rollout_percentage", "environment");
    spec("admin.system_config", "id", "config_key", "config_value", "data_type", "is_sensitive");
    spec("admin.audit_logs", "id", "actor_user_id", "actor_type", "action", "resource_type", "resource_id", "timestamp");
    spec("admin.system_health_checks", "id", "service_name", "check_name", "status");
    spec("admin.admin_sessions", "id", "user_id", "session_token_hash", "admin_level", "expires_at");
  }

  private static void spec(String table, String... columns) {
    SPEC_TABLES.put(table, List.of(columns));
  }

  @Test
  void everySpecTableExistsInItsSchemaWithItsKeyColumns() throws Exception {
    assertEquals(37, SPEC_TABLES.size());
    DatabaseSettings db = TestDatabases.empty();
    Migrations.migrate(db);
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      for (var e : SPEC_TABLES.entrySet()) {
        String[] parts = e.getKey().split("\\.");
        Set<String> columns = new HashSet<>();
        try (ResultSet rs = s.executeQuery("SELECT column_name FROM information_schema.columns WHERE table_schema = '"
            + parts[0] + "' AND table_name = '" + parts[1] + "'")) {
          while (rs.next()) columns.add(rs.getString(1));
        }
        assertTrue(!columns.isEmpty(), "missing table " + e.getKey());
        for (String col : e.getValue()) {
          assertTrue(columns.contains(col), e.getKey() + " lacks column " + col);
        }
      }
    }
  }

  @Test
  void migratingTwiceIsANoOp() {
    DatabaseSettings db = TestDatabases.empty();
    assertTrue(Migrations.migrate(db).migrationsExecuted > 0);
    assertEquals(0, Migrations.migrate(db).migrationsExecuted);
  }

  @Test
  void twoInstancesMigratingOneEmptyDatabaseAtOnceBothSucceed() throws Exception {
    DatabaseSettings db = TestDatabases.empty();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Callable<Integer>> both = List.of(() -> Migrations.migrate(db).migrationsExecuted,
          () -> Migrations.migrate(db).migrationsExecuted);
      List<Integer> applied = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(both)) applied.add(f.get());
      // One of them applied everything, the other found the work done (Flyway's advisory lock).
      assertEquals(0, Math.min(applied.get(0), applied.get(1)));
      assertEquals(countMigrationFiles(), Math.max(applied.get(0), applied.get(1)));
    } finally {
      pool.shutdownNow();
    }
    try (Connection c = connect(db); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
      rs.next();
      assertEquals(countMigrationFiles(), rs.getInt(1));
    }
  }

  @Test
  void uniqueDimensionsTreatNullAsOneValue() throws Exception {
    DatabaseSettings db = TestDatabases.migrated();
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      String insert = "INSERT INTO analytics.business_metrics (metric_date, metric_type, metric_value) VALUES ('2026-01-01', 'dau', 1)";
      s.execute(insert);
      SQLException dup = assertThrows(SQLException.class, () -> s.execute(insert));
      assertEquals("23505", dup.getSQLState());
    }
  }

  @Test
  void analyticsEventsArePartitionedByMonthAroundNow() throws Exception {
    DatabaseSettings db = TestDatabases.migrated();
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      s.execute("INSERT INTO analytics.analytics_events (event_name, event_category) VALUES ('app_opened', 'app')");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_inherits WHERE inhparent = 'analytics.analytics_events'::regclass")) {
        rs.next();
        assertTrue(rs.getInt(1) >= 3, "previous, current and next month partitions");
      }
    }
  }

  @Test
  void pursesMustOpenBeforeTheBirthdayInDakar() throws Exception {
    DatabaseSettings db = TestDatabases.migrated();
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      s.execute("INSERT INTO identity.users (id, phone) VALUES ('00000000-0000-0000-0000-000000000001', '+221771234567')");
      String pot = "INSERT INTO pots.pots (owner_user_id, title, target_amount_cfa, birthday_date, scheduled_open_at, closes_at)"
          + " VALUES ('00000000-0000-0000-0000-000000000001', 't', 1000, '2027-03-10', '%s', '2027-03-10T00:00:00Z')";
      s.execute(pot.formatted("2027-02-08T00:00:00Z"));
      SQLException late = assertThrows(SQLException.class, () -> s.execute(pot.formatted("2027-03-10T00:00:00Z")));
      assertEquals("23514", late.getSQLState(), "check violation");
    }
  }

  private static int countMigrationFiles() throws Exception {
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("db/migration"))) {
      return (int) files.filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
    }
  }

  private static Connection connect(DatabaseSettings db) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }
}
