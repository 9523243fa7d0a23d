package sn.wolo.platform.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiled checks may skip the library's validator only where the library would have said
 * valid. Every request body and parameter schema of the contract is compared with the library on
 * values generated from the schema itself — mostly valid, with near misses at every boundary (one
 * character too long, an emoji at the limit, one below the minimum, an unknown field, a missing
 * required one, a number too big for int32, a fraction, null, the wrong type).
 */
class CompiledSchemaTest {

  private static final int VALUES_PER_SCHEMA = 400;
  private static Vertx vertx;
  private static ApiContract contract;
  private static SchemaRepository library;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    contract = Await.result(ApiContract.load(vertx));
    library = contract.resolved().getSchemaRepository();
  }

  @AfterAll
  static void close() {
    Await.result(vertx.close());
  }

  @Test
  void whereTheCompiledChecksSayValidTheLibraryAgreesOnEverySchemaOfTheContract() {
    Random random = new Random(20261127);
    int schemas = 0;
    int compiled = 0;
    int surelyValid = 0;
    int libraryValid = 0;
    for (Operation operation : contract.resolved().operations()) {
      List<JsonSchema> checked = new ArrayList<>();
      MediaType json = operation.getRequestBody() == null ? null : operation.getRequestBody().getContent().get("application/json");
      if (json != null && json.getSchema() != null) checked.add(json.getSchema());
      for (Parameter p : operation.getParameters()) {
        if (p.getIn() == Location.PATH || p.getIn() == Location.QUERY) checked.add(p.getSchema());
      }
      for (JsonSchema schema : checked) {
        schemas++;
        var fast = CompiledSchema.of(schema);
        if (fast.isEmpty()) continue;
        compiled++;
        JsonObject asJson = new JsonObject();
        schema.fieldNames().forEach(k -> asJson.put(k, schema.get(k)));
        var validator = library.validator(schema);
        for (int i = 0; i < VALUES_PER_SCHEMA; i++) {
          Object value = roundTrip(new Generator(random).value(asJson, 0));
          boolean sure = fast.get().surelyValid(value);
          boolean valid = validator.validate(value).getValid();
          if (sure) surelyValid++;
          if (valid) libraryValid++;
          if (sure && !valid) {
            throw new AssertionError(operation.getOperationId() + ": the compiled checks accepted what the library refuses: "
                + Json.encode(value) + "\nschema: " + asJson.encode());
          }
        }
      }
    }
    assertTrue(compiled >= schemas * 9 / 10, "the fast path serves most schemas: " + compiled + " of " + schemas);
    // Most values the library accepts are accepted without it, or the fast path would be for nothing.
    assertTrue(surelyValid >= libraryValid * 9 / 10, "sure " + surelyValid + " of " + libraryValid + " valid");
    assertTrue(libraryValid > 1_000 && libraryValid < compiled * VALUES_PER_SCHEMA, "a mix of valid and invalid values: " + libraryValid);
  }

  @Test
  void theDonationBodyIsCheckedWithoutTheLibraryWhenValidAndLeftToItOtherwise() {
    Operation create = contract.resolved().operation("createDonation");   // POST /v1/pots/{id}/donations
    CompiledSchema body = CompiledSchema.of(create.getRequestBody().getContent().get("application/json").getSchema()).orElseThrow();
    assertTrue(body.surelyValid(roundTrip(new JsonObject().put("amount_cfa", 5_000).put("donor_name", "Awa").put("message", "Joyeux anniversaire !"))));
    assertTrue(body.surelyValid(roundTrip(new JsonObject().put("amount_cfa", 5_000).put("donor_name", null))));
    String emojis = "🎂".repeat(255);   // 255 code points, 510 chars: within maxLength 255, as the library counts
    assertTrue(body.surelyValid(roundTrip(new JsonObject().put("amount_cfa", 5_000).put("donor_name", emojis))));
    assertTrue(library.validator(create.getRequestBody().getContent().get("application/json").getSchema())
        .validate(roundTrip(new JsonObject().put("amount_cfa", 5_000).put("donor_name", emojis))).getValid());
    assertFalse(body.surelyValid(roundTrip(new JsonObject().put("amount_cfa", 5_000).put("donor_name", emojis + "🎂"))));
    assertFalse(body.surelyValid(roundTrip(new JsonObject().put("amount_cfa", 0))), "minimum 1");
    assertFalse(body.surelyValid(roundTrip(new JsonObject().put("amount_cfa", 5_000.5))));
    assertFalse(body.surelyValid(roundTrip(new JsonObject().put("amount_cfa", 5_000).put("amout", 1))), "unknown field");
    assertFalse(body.surelyValid(roundTrip(new JsonObject().put("donor_name", "Awa"))), "amount_cfa is required");
    assertFalse(body.surelyValid(roundTrip(new JsonArray().add(1))));
  }

  @Test
  void schemasOutsideTheSubsetAreNotCompiled() {
    assertTrue(CompiledSchema.of(new JsonObject().put("type", "string").put("oneOf", new JsonArray())).isEmpty());
    assertTrue(CompiledSchema.of(new JsonObject().put("type", "object").put("additionalProperties", new JsonObject())).isEmpty());
    assertTrue(CompiledSchema.of(new JsonObject().put("type", "string").put("format", "email")).isEmpty());
    assertTrue(CompiledSchema.of(new JsonObject().put("properties", new JsonObject().put("a", new JsonObject().put("$ref", "#/x")))).isEmpty());
    assertEquals(true, CompiledSchema.of(new JsonObject().put("type", "string").put("pattern", "^a")).orElseThrow().surelyValid("abc"));
    assertEquals(true, CompiledSchema.of(new JsonObject().put("type", "string").put("pattern", "b")).orElseThrow().surelyValid("abc"),
        "the library finds a pattern, it does not match it whole");
  }

  /** As the edge sees a body: encoded, then parsed (Integer, Long, BigInteger, Double; objects as maps). */
  private static Object roundTrip(Object value) {
    return Buffer.buffer(Json.encode(value)).toJsonValue();
  }

  /** Values shaped by a schema: valid most of the time, near misses otherwise. */
  private static final class Generator {
    private static final String[] TYPES = {"null", "boolean", "integer", "number", "string", "object", "array"};
    private final Random random;

    Generator(Random random) {
      this.random = random;
    }

    Object value(JsonObject schema, int depth) {
      List<String> types = new ArrayList<>();
      if (schema.getValue("type") instanceof String t) types.add(t);
      if (schema.getValue("type") instanceof JsonArray a) a.forEach(t -> types.add((String) t));
      String type = types.isEmpty() || random.nextInt(12) == 0 ? TYPES[random.nextInt(TYPES.length)] : types.get(random.nextInt(types.size()));
      if (depth > 4 && (type.equals("object") || type.equals("array"))) type = "null";
      return switch (type) {
        case "null" -> null;
        case "boolean" -> random.nextBoolean();
        case "integer" -> integer(schema);
        case "number" -> random.nextBoolean() ? random.nextDouble() * 1000 : integer(schema);
        case "string" -> string(schema);
        case "object" -> object(schema, depth);
        default -> array(schema, depth);
      };
    }

    private Object integer(JsonObject schema) {
      long min = schema.getLong("minimum", -1_000L);
      long max = schema.getLong("maximum", min + 1_000_000L);
      return switch (random.nextInt(10)) {
        case 0 -> min - 1;
        case 1 -> max + 1;
        case 2 -> min;
        case 3 -> max;
        case 4 -> 3_000_000_000L;                                     // beyond int32
        case 5 -> new BigInteger("123456789012345678901234567890");   // beyond int64
        case 6 -> 5.5;
        default -> min + (long) (random.nextDouble() * (max - min));
      };
    }

    private Object string(JsonObject schema) {
      if (schema.getValue("enum") instanceof JsonArray e && random.nextInt(8) != 0) return e.getString(random.nextInt(e.size()));
      String format = schema.getString("format");
      if (format != null && random.nextInt(6) != 0) {
        return switch (format) {
          case "uuid" -> random.nextInt(5) == 0 ? UUID.randomUUID().toString().toUpperCase() : random.nextInt(7) == 0 ? "not-a-uuid" : UUID.randomUUID().toString();
          case "date" -> List.of("2026-11-27", "2026-02-30", "2026-13-01", "1990-06-15", "27/11/2026").get(random.nextInt(5));
          case "date-time" -> List.of("2026-11-27T10:00:00Z", "2026-11-27T10:00:00+00:00", "2026-11-27 10:00", "2026-11-27T25:00:00Z")
              .get(random.nextInt(4));
          default -> "x";
        };
      }
      long max = schema.getLong("maxLength", 40L);
      long min = schema.getLong("minLength", 0L);
      long length = switch (random.nextInt(6)) {
        case 0 -> max;
        case 1 -> max + 1;
        case 2 -> Math.max(0, min - 1);
        default -> min + (long) (random.nextDouble() * Math.min(60, max - min + 1));
      };
      StringBuilder s = new StringBuilder();
      for (long i = 0; i < length; i++) s.append(random.nextInt(20) == 0 ? "🎂" : random.nextInt(10) == 0 ? "é" : String.valueOf((char) ('a' + random.nextInt(26))));
      return s.toString();
    }

    private Object object(JsonObject schema, int depth) {
      Map<String, Object> out = new LinkedHashMap<>();
      JsonObject properties = schema.getJsonObject("properties", new JsonObject());
      JsonArray required = schema.getJsonArray("required", new JsonArray());
      for (String name : properties.fieldNames()) {
        boolean isRequired = required.contains(name);
        if (isRequired ? random.nextInt(30) != 0 : random.nextInt(3) == 0) out.put(name, value(properties.getJsonObject(name), depth + 1));
      }
      if (random.nextInt(25) == 0) out.put("unknown_" + random.nextInt(3), "x");
      return out;
    }

    private Object array(JsonObject schema, int depth) {
      long max = schema.getLong("maxItems", 5L);
      int size = (int) Math.min(8, random.nextInt((int) Math.min(max + 2, 8) + 1));
      List<Object> out = new ArrayList<>();
      JsonObject items = schema.getJsonObject("items", new JsonObject());
      for (int i = 0; i < size; i++) out.add(value(items, depth + 1));
      return out;
    }
  }
}
