package sn.wolo.fuzz;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.TestApp;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated hostile requests against EVERY operation of the route registry (read from
 * {@code /openapi.json}, so a new route is fuzzed the day it is mounted): random JSON types, known
 * field names with wrong values, NUL/RTL/emoji, huge and empty strings, extreme numbers, malformed
 * JSON, wrong content types, deep nesting, odd path parameters; anonymous, as a user and as an
 * admin. Every answer must be a 4xx (or 2xx) in the error model: never a 5xx, never a stack trace.
 * Deterministic (fixed seed), so a failure replays.
 */
class ApiFuzzTest {

  private static final long SEED = 20261125L;
  private static final int CASES_PER_OPERATION = 60;
  private static final List<String> FIELDS = List.of("full_name", "date_of_birth", "amount_cfa", "title", "target_amount_cfa", "phone",
      "email", "password", "code", "events", "message", "recipient", "method", "visibility", "is_default", "type", "pack_id", "reason",
      "description", "refresh_token", "token", "guardian_phone", "relationship_type", "marketing_consent", "roles", "status", "name",
      "donor_name", "donor_phone", "is_anonymous", "show_amount", "street_address", "city", "country", "address", "id_type", "id_number",
      "id_country", "bio", "locale", "timezone", "event_name", "event_category", "properties", "timestamp", "allocations", "test_name",
      "variants", "from", "to", "new_password", "channel", "digest_frequency", "quiet_hours_start", "allow_anonymous_donations", "changes");

  private static TestApp app;
  private static String user;
  private static String admin;
  private static String potId;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("http.rate-limit-per-minute", "1000000", "auth.rate-limit-per-minute", "1000000",
        "otp.max-per-ip-per-hour", "100000"), java.time.Clock.systemUTC());
    user = app.accounts().otpLogin("+221770123001").getString("access_token");
    String dob = LocalDate.now(ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1990).toString();
    app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Fuzz Owner").put("date_of_birth", dob), user);
    potId = app.http().post("/v1/pots", new JsonObject().put("title", "Fuzz").put("target_amount_cfa", 10_000).put("visibility", "public"), user)
        .bodyAsJsonObject().getString("id");
    admin = app.accounts().admin(app.sql(), "+221770123002");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void noGeneratedRequestToAnyOperationGetsA5xxOrAStackTrace() {
    JsonObject paths = app.http().get("/openapi.json", null).bodyAsJsonObject().getJsonObject("paths");
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    int sent = 0;
    for (String template : paths.fieldNames()) {
      for (String method : paths.getJsonObject(template).fieldNames()) {
        if (destroysTheCaller(method, template)) continue;
        for (int i = 0; i < CASES_PER_OPERATION; i++) {
          String path = fillPath(template, random);
          String token = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> user;
            default -> admin;
          };
          Body body = Generated.body(random, FIELDS);
          var req = app.client().request(HttpMethod.valueOf(method.toUpperCase()), path);
          if (token != null) req.putHeader("Authorization", "Bearer " + token);
          if (body.contentType() != null) req.putHeader("Content-Type", body.contentType());
          HttpResponse<Buffer> r = Await.result(req.sendBuffer(Buffer.buffer(body.bytes())), 30);
          sent++;
          String text = r.bodyAsString() == null ? "" : r.bodyAsString();
          boolean deliberate501 = r.statusCode() == 501 && path.matches("/v1/auth/oauth/(google|facebook).*");   // documented: no JWKS yet
          if (r.statusCode() >= 500 && !deliberate501 || text.contains("Exception") || text.contains("at sn.wolo")) {
            failures.add(method.toUpperCase() + " " + template + " " + abbreviate(path, 80) + " [" + abbreviate(body.describe(), 80) + "] → "
                + r.statusCode() + " " + abbreviate(text, 120));
          } else if (htmlPage(template)) {
            // The guest web pages answer HTML (their own 4xx pages); only the edge's own refusals (413, 414…) stay JSON.
            boolean html = r.getHeader("Content-Type") != null && r.getHeader("Content-Type").startsWith("text/html");
            JsonObject error = html || r.statusCode() == 303 ? null : parse(text);
            if (!html && r.statusCode() != 303 && (error == null || error.getJsonObject("error") == null)) {
              failures.add(method.toUpperCase() + " " + template + " → " + r.statusCode() + " not an HTML page: " + abbreviate(text, 120));
            }
          } else if (r.statusCode() >= 400 && !(r.statusCode() == 405 || r.statusCode() == 404 && text.isEmpty())) {
            JsonObject error = parse(text);
            if (error == null || error.getJsonObject("error") == null || error.getJsonObject("error").getString("code") == null) {
              failures.add(method.toUpperCase() + " " + template + " → " + r.statusCode() + " outside the error model: " + abbreviate(text, 120));
            }
          }
        }
      }
    }
    assertTrue(sent > 1000, "fuzzed " + sent + " requests");
    assertEquals(List.of(), failures.stream().limit(40).toList(), failures.size() + " failing cases of " + sent);
  }

  /** Erasing or signing out the fuzzing accounts would only blind the rest of the run. */
  private static boolean destroysTheCaller(String method, String template) {
    return method.equals("delete") && template.equals("/v1/me") || template.startsWith("/v1/auth/logout")
        || template.contains("/suspend") || template.endsWith("/roles");
  }

  private static String fillPath(String template, Random random) {
    StringBuilder out = new StringBuilder();
    for (String segment : template.split("/", -1)) {
      if (!out.isEmpty() || !segment.isEmpty()) out.append('/');
      if (segment.startsWith("{") && segment.endsWith("}")) {
        out.append(switch (random.nextInt(7)) {
          case 0 -> potId;
          case 6 -> "google";
          case 1 -> UUID.randomUUID().toString();
          case 2 -> "abc";
          case 3 -> "x".repeat(300);
          case 4 -> "%F0%9F%8E%82";
          default -> "-1";
        });
      } else {
        out.append(segment);
      }
    }
    String path = out.toString();
    return switch (random.nextInt(5)) {
      case 0 -> path + "?page=" + random.nextLong() + "&limit=" + random.nextInt() + "&size=-5&t=%E2%80%AE";
      case 1 -> path + "?from=2026-13-45&to=yesterday&resource_id=nope&date=x";
      default -> path;
    };
  }

  private static JsonObject parse(String text) {
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String abbreviate(String s, int max) {
    return s.length() > max ? s.substring(0, max) + "…" : s;
  }

  record Body(byte[] bytes, String contentType, String describe) {
  }

  /** Hostile bodies. */
  static final class Generated {

    private Generated() {
    }

    static Body body(Random random, List<String> fields) {
      return switch (random.nextInt(10)) {
        case 0 -> new Body(new byte[0], null, "empty, no content type");
        case 1 -> json("{\"a\":", "application/json", "malformed");
        case 2 -> json("[1,2,3]", "application/json", "an array");
        case 3 -> json("\"just a string\"", "text/plain", "text/plain");
        case 4 -> json("{".repeat(600) + "}".repeat(600), "application/json", "deep nesting");
        case 5 -> json(new JsonObject().put(fields.get(random.nextInt(fields.size())), "z".repeat(70_000)).encode(), "application/json", "oversized");
        default -> {
          JsonObject o = new JsonObject();
          int n = 1 + random.nextInt(6);
          for (int i = 0; i < n; i++) o.put(fields.get(random.nextInt(fields.size())), value(random, 0));
          yield json(o.encode(), "application/json", o.encode().length() > 200 ? o.encode().substring(0, 200) : o.encode());
        }
      };
    }

    private static Body json(String text, String contentType, String describe) {
      return new Body(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), contentType, describe);
    }

    static Object value(Random random, int depth) {
      return switch (random.nextInt(depth > 2 ? 10 : 13)) {
        case 0 -> null;
        case 1 -> random.nextBoolean();
        case 2 -> Long.MAX_VALUE;
        case 3 -> -1;
        case 4 -> 1e308;
        case 5 -> 0.5;
        case 6 -> "";
        case 7 -> "\u202Eevil\u202C 🎂🇸🇳 " + "é".repeat(random.nextInt(5));
        case 8 -> "2026-02-30";
        case 9 -> "x".repeat(random.nextInt(5000));
        case 10 -> new JsonArray().add(value(random, depth + 1)).add(value(random, depth + 1));
        case 11 -> new JsonObject().put("nested", value(random, depth + 1));
        default -> String.valueOf(random.nextInt());
      };
    }
  }

  /** The guest web pages (issue 16): HTML for people, not the JSON API. */
  private static boolean htmlPage(String template) {
    return template.startsWith("/p/") || template.startsWith("/donation/");
  }
}
