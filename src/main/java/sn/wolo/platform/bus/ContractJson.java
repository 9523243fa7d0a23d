package sn.wolo.platform.bus;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.VertxModule;

import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
      // JsonObject / JsonArray values inside a request's map (a handler may put them there) read as the trees they are.
      .addModule(new VertxModule())
      .build();
  private static final JavaType MAP = MAPPER.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class);

  private ContractJson() {
  }

  // Records go to and from the bus's maps and lists as Jackson trees (convertValue), never through
  // text: a burst makes thousands of bus calls, and encoding then parsing each one was ~10 % of the
  // event loops' time.
  public static JsonObject toJson(Object value) {
    Map<String, Object> map = MAPPER.convertValue(value, MAP);
    return new JsonObject(map);
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
    Object tree = MAPPER.convertValue(value, Object.class);
    return tree instanceof Map<?, ?> map ? new JsonObject(cast(map)) : tree instanceof List<?> list ? new JsonArray(list) : tree;
  }

  public static <T> T fromJson(JsonObject json, Class<T> type) {
    return fromJson(json, (Type) type);
  }

  @SuppressWarnings("unchecked")
  static <T> T fromJson(Object json, Type type) {
    JavaType javaType = MAPPER.getTypeFactory().constructType(type);
    Object tree = json instanceof JsonObject o ? o.getMap() : json instanceof JsonArray a ? a.getList() : json;
    try {
      return (T) MAPPER.convertValue(tree, javaType);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot read " + javaType + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }
}
