package sn.wolo.redemption;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import sn.wolo.testing.Await;
import sn.wolo.testing.TestApp;

import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Partners, packs, partner users and closed pots for the gift tests, made through the admin API (pots by SQL when the money path is not under test). */
final class GiftFixtures {

  private final TestApp app;
  private final AtomicInteger phones;
  private final String adminPhone;
  private String admin;
  private java.time.Instant adminOpenedAt;

  GiftFixtures(TestApp app, int firstPhone) {
    this.app = app;
    this.phones = new AtomicInteger(firstPhone);
    this.adminPhone = nextPhone();
  }

  /** An admin console session, opened again when the test clock has moved past its idle timeout. */
  String admin() {
    java.time.Instant now = app.context().clock().instant();
    if (admin == null || now.isBefore(adminOpenedAt) || java.time.Duration.between(adminOpenedAt, now).toMinutes() >= 20) {
      admin = app.accounts().admin(app.sql(), adminPhone);
      adminOpenedAt = now;
    }
    return admin;
  }

  String nextPhone() {
    return String.format("+22176%07d", phones.incrementAndGet());
  }

  /** An active, verified partner with two venues (Dakar and Thiès) and this split. */
  JsonObject partner(String name, double splitPercentage, String terms, int minimumPayout) {
    var created = app.http().post("/v1/admin/partners", new JsonObject().put("name", name).put("type", "cinema")
        .put("contact_phone", "77 " + (100 + phones.incrementAndGet() % 900) + " 11 22").put("revenue_split_percentage", splitPercentage)
        .put("payment_terms", terms).put("minimum_payout_cfa", minimumPayout)
        .put("venues", new JsonArray().add(new JsonObject().put("id", "plateau").put("name", name + " Plateau").put("city", "Dakar"))
            .add(new JsonObject().put("id", "thies").put("name", name + " Thiès").put("city", "Thiès"))), admin());
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String id = created.bodyAsJsonObject().getString("id");
    assertEquals(200, app.http().post("/v1/admin/partners/" + id + "/verify", new JsonObject(), admin).statusCode());
    var active = app.http().post("/v1/admin/partners/" + id + "/status", new JsonObject().put("status", "active"), admin());
    assertEquals(200, active.statusCode(), active.bodyAsString());
    return active.bodyAsJsonObject();
  }

  JsonObject pack(String partnerId, String name, int price, Integer stock) {
    JsonObject body = new JsonObject().put("name", name).put("description", "Deux places et du pop-corn").put("category", "cinema")
        .put("base_price_cfa", price).put("partner_id", partnerId).put("validity_days", 90);
    if (stock != null) body.put("total_available_quantity", stock);
    var created = app.http().post("/v1/admin/packs", body, admin());
    assertEquals(201, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject();
  }

  /** A user with the partner role (token refreshed to carry it), working for {@code partnerId}. */
  String partnerUser(String partnerId) {
    JsonObject login = app.accounts().otpLogin(nextPhone());
    String userId = login.getString("user_id");
    Await.result(app.sql().preparedQuery("UPDATE identity.users SET roles = ARRAY['user','partner'] WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(userId))));
    var linked = app.http().put("/v1/admin/partners/" + partnerId + "/users/" + userId, new JsonObject().put("role", "staff"), admin());
    assertEquals(200, linked.statusCode(), linked.bodyAsString());
    var refreshed = app.http().post("/v1/auth/refresh", new JsonObject().put("refresh_token", login.getString("refresh_token")), null);
    assertEquals(200, refreshed.statusCode(), refreshed.bodyAsString());
    return refreshed.bodyAsJsonObject().getString("access_token");
  }

  /** A user account; returns {@code {"user_id","access_token"}}. */
  JsonObject owner() {
    return app.accounts().otpLogin(nextPhone());
  }

  /** A pot that closed at {@code birthday} holding {@code raised} francs, with {@code packId} chosen (seeded: the money path has its own tests). */
  String closedPot(String ownerId, LocalDate birthday, long raised, String packId) {
    return Await.result(app.sql().preparedQuery("""
            INSERT INTO pots.pots (owner_user_id, title, target_amount_cfa, birthday_date, scheduled_open_at, closes_at, status,
                                   closed_at, preferred_pack_id, raised_cfa, succeeded_donations)
            VALUES ($1, 'Cadeau', 50000, $2, ($2::timestamp AT TIME ZONE 'Africa/Dakar') - interval '30 days',
                    $2::timestamp AT TIME ZONE 'Africa/Dakar', 'closed', $2::timestamp AT TIME ZONE 'Africa/Dakar', $3, $4, 1)
            RETURNING id""").execute(Tuple.of(UUID.fromString(ownerId), birthday, packId == null ? null : UUID.fromString(packId), raised)))
        .iterator().next().getUUID(0).toString();
  }

  long count(String sql, Object... params) {
    return Await.result(app.sql().preparedQuery(sql).execute(Tuple.from(params))).iterator().next().getLong(0);
  }
}
