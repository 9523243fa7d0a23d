package sn.wolo.platform.metrics;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.Eventually;
import sn.wolo.testing.TestApp;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17: one donation driven over HTTP shows up in /metrics — its request by route template, its state, the JVM and the pool. */
class MetricsTest {

  @Test
  void aDonationShowsUpInTheMetrics() {
    try (TestApp app = TestApp.start(Map.of("metrics.refresh-ms", "100", "metrics.states-refresh-ms", "100"), Clock.systemUTC())) {
      JsonObject owner = app.accounts().otpLogin("+221775560001");
      String dob = LocalDate.now(ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1990).toString();
      app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Awa Ba").put("date_of_birth", dob), owner.getString("access_token"));
      String pot = app.http().post("/v1/pots", new JsonObject().put("title", "Mesures").put("target_amount_cfa", 20_000).put("visibility", "public"),
          owner.getString("access_token")).bodyAsJsonObject().getString("id");
      var d = app.http().post("/v1/pots/" + pot + "/donations", new JsonObject().put("amount_cfa", 3_000), null).bodyAsJsonObject();
      Await.result(app.wave().complete(d.getString("checkout_session_id")));

      Eventually.until("the succeeded donation counted", () -> value(scrape(app), "wolo_donations\\{status=\"succeeded\"}") == 1);
      String metrics = scrape(app);
      assertTrue(value(metrics, "vertx_http_server_requests_total\\{[^}]*route=\"[^\"]*/v1/pots/:id/donations\"[^}]*\\}") >= 1,
          "requests are labelled by route template, not by raw path (no pot ids in labels)");
      assertTrue(!metrics.contains(pot), "no identifier leaks into a label");
      assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics");
      assertTrue(metrics.contains("vertx_pool_in_use"), "the PostgreSQL pool");
      assertTrue(metrics.contains("wolo_outbox_unpublished"), "the outbox backlog");
      assertTrue(!Pattern.compile("(?m)^wolo_event_deliveries\\{[^}]*state=\"parked\"} [1-9]").matcher(metrics).find(), "nothing parked");
    }
  }

  @Test
  void aConfiguredTokenIsRequired() {
    try (TestApp app = TestApp.start(Map.of("metrics.token", "scrape-secret-0123456789"), Clock.systemUTC())) {
      assertEquals(401, app.http().get("/metrics", null).statusCode());
      assertEquals(401, app.http().get("/metrics", "wrong").statusCode());
      assertEquals(200, app.http().get("/metrics", "scrape-secret-0123456789").statusCode());
    }
  }

  private static String scrape(TestApp app) {
    var r = app.http().get("/metrics", null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsString();
  }

  /** The value of the first sample whose name and labels match {@code pattern}; -1 when absent. */
  private static double value(String metrics, String pattern) {
    Matcher m = Pattern.compile("(?m)^" + pattern + " ([0-9.eE+-]+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }
}
