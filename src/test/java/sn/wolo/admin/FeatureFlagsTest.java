package sn.wolo.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.admin.flags.FlagEvaluator;
import sn.wolo.testing.Await;
import sn.wolo.testing.Http;
import sn.wolo.testing.TestApp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Feature flags: stable uniform rollout, typed values, targeting, admin-only writes, audited, visible at once. */
class FeatureFlagsTest {

  private static TestApp app;
  private static String admin;
  private static String user;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    admin = app.accounts().admin(app.sql(), "+221770987001");
    user = app.accounts().otpLogin("+221770987002").getString("access_token");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /**
   * The audit row is written in the change's transaction: when it cannot be written (here a trigger
   * refuses it, as a full disk or a broken constraint would), the flag is not changed either.
   */
  @Test
  void aFlagChangeWhoseAuditRowFailsIsNotMade() {
    sn.wolo.testing.Await.result(app.sql().query("""
        CREATE FUNCTION admin.refuse_flag_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.resource_type = 'feature_flag' THEN RAISE EXCEPTION 'audit storage refused'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_flag_audit BEFORE INSERT ON admin.audit_logs FOR EACH ROW EXECUTE FUNCTION admin.refuse_flag_audit();
        """).execute());
    JsonObject flag = new JsonObject().put("flag_key", "audit_guarded").put("name", "Gardé").put("flag_type", "boolean")
        .put("is_enabled", true).put("rollout_percentage", 100).put("environment", "development");
    try {
      var refused = app.http().post("/v1/admin/feature-flags", flag, admin);
      assertEquals(500, refused.statusCode(), refused.bodyAsString());
      assertEquals(0L, count("SELECT count(*) FROM admin.feature_flags WHERE flag_key = 'audit_guarded'"), "no change without its audit row");
      assertNull(flags("android", "3.0").getValue("audit_guarded"), "and nothing served");
    } finally {
      sn.wolo.testing.Await.result(app.sql().query("DROP TRIGGER refuse_flag_audit ON admin.audit_logs; DROP FUNCTION admin.refuse_flag_audit();")
          .execute());
    }
    assertEquals(200, app.http().post("/v1/admin/feature-flags", flag, admin).statusCode());
    assertEquals(1L, count("SELECT count(*) FROM admin.feature_flags WHERE flag_key = 'audit_guarded'"));
    assertTrue(count("SELECT count(*) FROM admin.audit_logs WHERE resource_type = 'feature_flag' AND new_values::text LIKE '%audit_guarded%'") >= 1,
        "the change and its audit row, together");
  }

  private static long count(String sql) {
    return sn.wolo.testing.Await.result(app.sql().query(sql).execute()).iterator().next().getLong(0);
  }

  @Test
  void theRolloutHashIsStableAndUniformOver100000Subjects() {
    int[] buckets = new int[100];
    int on = 0;
    for (int i = 0; i < 100_000; i++) {
      int b = FlagEvaluator.bucket("new_checkout", "subject-" + i);
      buckets[b]++;
      if (b < 30) on++;
      assertEquals(b, FlagEvaluator.bucket("new_checkout", "subject-" + i), "deterministic");
    }
    assertTrue(Math.abs(on / 1000.0 - 30.0) <= 1.0, "30 % rollout gives " + on / 1000.0 + " %");
    for (int count : buckets) assertTrue(Math.abs(count - 1000) < 150, "bucket size " + count);
  }

  @Test
  void adminsManageTypedTargetedFlagsThatAppsSeeAtOnce() {
    JsonObject flag = new JsonObject().put("flag_key", "new_checkout").put("name", "Nouveau paiement").put("flag_type", "boolean")
        .put("is_enabled", true).put("rollout_percentage", 100).put("environment", "development")
        .put("target_platforms", new JsonArray().add("android")).put("min_app_version", "2.0");
    assertEquals(403, app.http().post("/v1/admin/feature-flags", flag, user).statusCode(), "admins only");
    assertEquals("invalid_flag_value", Http.errorCode(app.http().post("/v1/admin/feature-flags", flag.copy().put("flag_value", "yes"), admin)));
    assertEquals("invalid_rollout_percentage", Http.errorCode(app.http().post("/v1/admin/feature-flags", flag.copy().put("rollout_percentage", 101), admin)));
    var saved = app.http().post("/v1/admin/feature-flags", flag, admin);
    assertEquals(200, saved.statusCode(), saved.bodyAsString());

    assertEquals(true, flags("android", "2.1").getBoolean("new_checkout"));
    assertEquals(false, flags("ios", "2.1").getBoolean("new_checkout"), "another platform");
    assertEquals(false, flags("android", "1.9.9").getBoolean("new_checkout"), "an older app");
    assertEquals("install_id_required", Http.errorCode(Await.result(app.client().get("/v1/feature-flags").send())));

    // A change is visible at once (the process's copy is reloaded before the admin's answer).
    assertEquals(200, app.http().post("/v1/admin/feature-flags", flag.copy().put("rollout_percentage", 0), admin).statusCode());
    assertEquals(false, flags("android", "2.1").getBoolean("new_checkout"));

    JsonObject text = new JsonObject().put("flag_key", "welcome_banner").put("name", "Bannière").put("flag_type", "string")
        .put("flag_value", "Bienvenue !").put("is_enabled", true).put("rollout_percentage", 100).put("environment", "development");
    assertEquals(200, app.http().post("/v1/admin/feature-flags", text, admin).statusCode());
    assertEquals("Bienvenue !", flags("ios", "1.0").getString("welcome_banner"));
    assertEquals(200, app.http().delete("/v1/admin/feature-flags/welcome_banner?environment=development", admin).statusCode());
    assertNull(flags("ios", "1.0").getValue("welcome_banner"));

    var audit = app.http().get("/v1/admin/audit-logs?resource_type=feature_flag", admin).bodyAsJsonObject().getJsonArray("items");
    assertTrue(audit.size() >= 4, "every save and delete audited: " + audit.encode());
    JsonObject deletion = audit.getJsonObject(0);
    assertEquals("feature_flag.deleted", deletion.getString("action"));
    assertEquals("Bienvenue !", deletion.getJsonObject("old_values").getString("flag_value"), "what was deleted is kept");
    JsonObject save = audit.stream().map(JsonObject.class::cast).filter(a -> "feature_flag.saved".equals(a.getString("action"))
        && a.getJsonObject("old_values") != null).findFirst().orElseThrow(() -> new AssertionError("a replacement keeps the old values"));
    assertNotNull(save.getJsonObject("new_values"));
  }

  private static JsonObject flags(String platform, String version) {
    HttpResponse<Buffer> r = Await.result(app.client().get("/v1/feature-flags").putHeader("X-Install-Id", "install-1234-abcd")
        .putHeader("X-Platform", platform).putHeader("X-App-Version", version).send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonObject("flags");
  }
}
