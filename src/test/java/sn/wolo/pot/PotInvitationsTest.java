package sn.wolo.pot;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Http;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 16: the owner lists their pot's invitations by keyset pages; nobody else can. */
class PotInvitationsTest {

  private static MutableClock clock;
  private static TestApp app;
  private static Http http;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.parse("2027-01-10T12:00:00Z"));
    app = TestApp.start(Map.of("pot.invitations-per-day", "50", "pot.sweep-ms", "3600000"), clock);
    http = app.http();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static String owner(String phone) {
    String token = app.accounts().otpLogin(phone).getString("access_token");
    http.put("/v1/me/profile", new JsonObject().put("full_name", "Awa Ndiaye").put("date_of_birth", "1991-01-20"), token);
    return token;
  }

  private static void invite(String potId, String token, int n) {
    for (int i = 0; i < n; i++) {
      var r = http.post("/v1/pots/" + potId + "/invitations", new JsonObject().put("method", "social").put("recipient", "groupe famille " + i).put("message", "Viens ! " + i), token);
      assertEquals(201, r.statusCode(), r.bodyAsString());
    }
  }

  @Test
  void pagesHaveNoDuplicateAndNoGapWhileInvitationsArrive() {
    String token = owner("+221781230001");
    var created = http.post("/v1/pots", new JsonObject().put("title", "Anniversaire").put("target_amount_cfa", 100_000), token);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String potId = created.bodyAsJsonObject().getString("id");
    invite(potId, token, 7);

    Set<String> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var r = http.get("/v1/pots/" + potId + "/invitations?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), token);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      JsonObject page = r.bodyAsJsonObject();
      page.getJsonArray("items").forEach(o -> {
        JsonObject item = (JsonObject) o;
        assertTrue(seen.add(item.getString("id")), "no invitation twice");
        order.add(item.getString("created_at"));
        assertEquals("social", item.getString("method"));
        assertTrue(item.getString("message").startsWith("Viens !"));
      });
      cursor = page.getString("next_cursor");
      if (pages++ == 0) {
        clock.advance(Duration.ofMinutes(1));
        invite(potId, token, 2);   // newer than the cursor: they belong to a first page read later, not to this walk
      }
    } while (cursor != null);
    assertEquals(7, seen.size(), "every invitation that existed when the walk began, once");
    assertEquals(3, pages);

    var all = http.get("/v1/pots/" + potId + "/invitations?limit=100", token).bodyAsJsonObject();
    assertEquals(9, all.getJsonArray("items").size());
    assertEquals(null, all.getString("next_cursor"));
  }

  @Test
  void anotherUserSeesNoSuchPotAndABadCursorIsRefused() {
    String token = owner("+221781230002");
    String potId = http.post("/v1/pots", new JsonObject().put("title", "Fête").put("target_amount_cfa", 50_000), token)
        .bodyAsJsonObject().getString("id");
    String stranger = owner("+221781230003");
    var r = http.get("/v1/pots/" + potId + "/invitations", stranger);
    assertEquals(404, r.statusCode());
    assertEquals("pot_not_found", Http.errorCode(r));
    var bad = http.get("/v1/pots/" + potId + "/invitations?cursor=not-a-cursor", token);
    assertEquals(400, bad.statusCode(), bad.bodyAsString());
  }
}
