package sn.wolo.donation;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.Http;
import sn.wolo.testing.TestApp;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 16: "my donations" by keyset pages — no duplicate and no gap while new donations arrive between pages. */
class MyDonationsTest {

  @Test
  void pagesNeitherRepeatNorSkipWhileDonationsArrive() {
    try (TestApp app = TestApp.start(Map.of(), Clock.systemUTC())) {
      Http http = app.http();
      JsonObject owner = app.accounts().otpLogin("+221775590001");
      String dob = LocalDate.now(ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1991).toString();
      http.put("/v1/me/profile", new JsonObject().put("full_name", "Owner").put("date_of_birth", dob), owner.getString("access_token"));
      UUID pot = UUID.fromString(http.post("/v1/pots", new JsonObject().put("title", "Pages").put("target_amount_cfa", 50_000)
          .put("visibility", "public"), owner.getString("access_token")).bodyAsJsonObject().getString("id"));
      JsonObject donor = app.accounts().otpLogin("+221775590002");
      UUID me = UUID.fromString(donor.getString("user_id"));
      // 25 signed-in donations, 3 as a guest with my phone, 4 by someone else; a few share a timestamp (ties broken by id).
      Set<String> mine = new HashSet<>();
      for (int i = 0; i < 32; i++) {
        boolean signedIn = i < 25;
        boolean guestMe = i >= 25 && i < 28;
        UUID id = insert(app, pot, signedIn ? me : null, guestMe ? "+221775590002" : (signedIn ? null : "+221775590099"), i / 2);
        if (signedIn || guestMe) mine.add(id.toString());
      }
      String token = donor.getString("access_token");
      var first = http.get("/v1/me/donations?limit=10", token).bodyAsJsonObject();
      Set<String> seen = new HashSet<>();
      first.getJsonArray("items").forEach(o -> assertTrue(seen.add(((JsonObject) o).getString("id"))));
      // New donations arrive between pages: they are newer, so they never shift the pages being read.
      for (int i = 0; i < 5; i++) insert(app, pot, me, null, -1 - i);
      String cursor = first.getString("next_cursor");
      while (cursor != null) {
        var page = http.get("/v1/me/donations?limit=10&cursor=" + cursor, token).bodyAsJsonObject();
        page.getJsonArray("items").forEach(o -> assertTrue(seen.add(((JsonObject) o).getString("id")), "no duplicate"));
        cursor = page.getString("next_cursor");
      }
      assertEquals(mine, seen, "every donation of mine exactly once, nobody else's");
      var fresh = http.get("/v1/me/donations?limit=100", token).bodyAsJsonObject();
      assertEquals(33, fresh.getJsonArray("items").size(), "a new first page sees the new ones");
      assertNull(fresh.getString("next_cursor"));
      assertEquals("invalid_cursor", Http.errorCode(http.get("/v1/me/donations?cursor=garbage", token)));

      // The owner's list of the pot's donations: paid ones, names unless anonymous, amounts unless hidden.
      String ownerToken = owner.getString("access_token");
      Set<String> paid = new HashSet<>();
      for (int i = 0; i < 12; i++) paid.add(paid(app, pot, i % 3 == 0, i % 4 == 0, i / 3).toString());
      Set<String> listed = new HashSet<>();
      String next = null;
      boolean anonymousHidden = false;
      boolean amountHidden = false;
      do {
        var page = http.get("/v1/pots/" + pot + "/donations?limit=5" + (next == null ? "" : "&cursor=" + next), ownerToken).bodyAsJsonObject();
        for (Object o : page.getJsonArray("items")) {
          JsonObject d = (JsonObject) o;
          assertTrue(listed.add(d.getString("id")), "no duplicate");
          anonymousHidden |= d.getString("donor_name") == null;
          amountHidden |= d.getValue("amount_cfa") == null;
          if (d.getString("donor_name") != null) assertEquals("Ami Visible", d.getString("donor_name"));
        }
        if (next == null) paid(app, pot, false, false, -10);   // a newer one arrives between pages: not in these pages
        next = page.getString("next_cursor");
      } while (next != null);
      assertEquals(paid, listed, "every paid donation once; pending ones are not listed");
      assertTrue(anonymousHidden && amountHidden, "anonymity and hidden amounts respected");
      assertEquals(404, http.get("/v1/pots/" + pot + "/donations", token).statusCode(), "someone else's pot");
    }
  }

  /** A paid donation {@code minutesAgo} before now, named "Ami Visible" unless anonymous. */
  private static UUID paid(TestApp app, UUID pot, boolean anonymous, boolean hideAmount, int minutesAgo) {
    return Await.result(app.sql().preparedQuery("""
            INSERT INTO donations.donations (pot_id, amount_cfa, donor_name, is_anonymous, show_amount, status, initiated_at, confirmed_at)
            VALUES ($1, 2000, 'Ami Visible', $2, $3, 'succeeded', now(), date_trunc('second', now()) - make_interval(mins => $4)) RETURNING id""")
        .execute(Tuple.of(pot, anonymous, !hideAmount, minutesAgo))).iterator().next().getUUID(0);
  }

  /** A donation row, {@code minutesAgo} before now (negative: in the future of the others). */
  private static UUID insert(TestApp app, UUID pot, UUID donor, String phone, int minutesAgo) {
    return Await.result(app.sql().preparedQuery("""
            INSERT INTO donations.donations (pot_id, donor_user_id, donor_phone, amount_cfa, initiated_at)
            VALUES ($1, $2, $3, 1000, date_trunc('second', now()) - make_interval(mins => $4)) RETURNING id""")
        .execute(Tuple.of(pot, donor, phone, minutesAgo))).iterator().next().getUUID(0);
  }
}
