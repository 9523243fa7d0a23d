package sn.wolo.platform.bus;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;

/**
 * The JSON form of the contracts' records on the bus: snake_case fields (as the HTTP API), ISO-8601
 * dates and instants, unknown fields ignored (a node of the next version may send more: a tolerant
 * reader keeps a rolling upgrade of the cluster working).
 */
public final class ContractJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      .build();

  private ContractJson() {
  }

  public static JsonObject toJson(Object value) {
    try {
      return new JsonObject(MAPPER.writeValueAsString(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A record as a request to a JSON handler: null fields left out, so that the handler's
   * {@code getString(key, default)} applies its default (a present null would not).
   */
  public static JsonObject toRequest(Object value) {
    JsonObject json = value == null ? new JsonObject() : toJson(value);
    json.getMap().values().removeIf(java.util.Objects::isNull);
    return json;
  }

  /** Any JSON value (a record, a list, a string) as text, for a field of a request. */
  static Object toJsonValue(Object value) {
    if (value == null) return null;
    try {
      return io.vertx.core.json.Json.decodeValue(MAPPER.writeValueAsString(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T fromJson(JsonObject json, Class<T> type) {
    return fromJson(json, (Type) type);
  }

  @SuppressWarnings("unchecked")
  static <T> T fromJson(Object json, Type type) {
    JavaType javaType = MAPPER.getTypeFactory().constructType(type);
    try {
      String text = json == null ? "null" : json instanceof JsonObject o ? o.encode()
          : json instanceof io.vertx.core.json.JsonArray a ? a.encode() : io.vertx.core.json.Json.encode(json);
      return (T) MAPPER.readValue(text, javaType);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + javaType + ": " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
    }
  }
}
