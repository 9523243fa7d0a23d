package sn.wolo.platform.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.TestApp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: error messages in French or English from {@code Accept-Language} (French, WOLO's fr-SN,
 * when it names neither); the codes never change with the language.
 */
class ErrorLanguageTest {

  private static TestApp app;
  private static String token;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    token = app.accounts().otpLogin("+221771230077").getString("access_token");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void frenchByDefaultEnglishOnRequestTheSameCodes() {
    String missing = "/v1/pots/" + java.util.UUID.randomUUID();
    HttpResponse<Buffer> fr = get(missing, null);
    assertEquals(404, fr.statusCode());
    assertEquals("pot_not_found", error(fr).getString("code"));
    assertEquals("Cagnotte introuvable.", error(fr).getString("message"));
    assertEquals("fr", fr.getHeader("Content-Language"));

    HttpResponse<Buffer> en = get(missing, "en-US,en;q=0.9");
    assertEquals("pot_not_found", error(en).getString("code"));
    assertTrue(error(en).getString("message").toLowerCase().contains("pot"), error(en).getString("message"));
    assertTrue(!error(en).getString("message").contains("introuvable"));
    assertEquals("en", en.getHeader("Content-Language"));

    // The caller's preference order decides; a language we do not write (Wolof) is skipped.
    assertEquals("en", get(missing, "wo-SN, en;q=0.8, fr;q=0.5").getHeader("Content-Language"));
    assertEquals("fr", get(missing, "wo-SN, fr;q=0.8, en;q=0.5").getHeader("Content-Language"));
  }

  @Test
  void fieldErrorsAreTranslatedAndStillNameTheirField() {
    JsonObject body = new JsonObject().put("titel", "Anniversaire").put("target_amount_cfa", 20_000);
    JsonObject fr = error(post("/v1/pots", body, null));
    assertEquals("validation_failed", fr.getString("code"));
    assertEquals("2 champs ne sont pas valides : title, titel.", fr.getString("message"));
    assertEquals("title est obligatoire.", field(fr, "title").getString("message"));
    assertTrue(field(fr, "titel").getString("message").contains("Champ inconnu « titel »"), fr.encode());
    assertEquals("unknown_field", field(fr, "titel").getString("code"));

    JsonObject en = error(post("/v1/pots", body, "en"));
    assertEquals("title is required.", field(en, "title").getString("message"));
    assertEquals(fr.getJsonArray("fields").stream().map(f -> ((JsonObject) f).getString("code")).toList(),
        en.getJsonArray("fields").stream().map(f -> ((JsonObject) f).getString("code")).toList());
  }

  @Test
  void aMessageThatStatesFiguresKeepsThem() {
    app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Awa Ndiaye").put("date_of_birth", "1991-01-20"), token);
    JsonObject fr = error(post("/v1/pots", new JsonObject().put("title", "Anniversaire").put("target_amount_cfa", 10), null));
    assertEquals("invalid_target_amount_cfa", fr.getString("code"));
    assertTrue(fr.getString("message").contains("1000"), "the bound is stated: " + fr.getString("message"));
  }

  private static HttpResponse<Buffer> get(String path, String language) {
    var request = app.client().get(path).putHeader("Authorization", "Bearer " + token);
    if (language != null) request.putHeader("Accept-Language", language);
    return Await.result(request.send());
  }

  private static HttpResponse<Buffer> post(String path, JsonObject body, String language) {
    var request = app.client().post(path).putHeader("Authorization", "Bearer " + token);
    if (language != null) request.putHeader("Accept-Language", language);
    return Await.result(request.sendJsonObject(body));
  }

  private static JsonObject error(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("error");
  }

  private static JsonObject field(JsonObject error, String path) {
    return error.getJsonArray("fields").stream().map(JsonObject.class::cast).filter(f -> f.getString("path").equals(path))
        .findFirst().orElseThrow(() -> new AssertionError("no field " + path + " in " + error.encode()));
  }
}
