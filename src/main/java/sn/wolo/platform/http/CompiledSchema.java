package sn.wolo.platform.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request schema turned, once, into plain checks that can only say "surely valid". The library's
 * validator walks the schema as data on every request (JSON pointers, URLs and sets built per
 * property: ~6 % of the event loops under a donation burst); a valid request — nearly all of them —
 * needs none of that. So {@link ContractValidation} asks this first and calls the library only when
 * the answer is not a sure yes: then the library decides, and names the errors.
 *
 * <p>It is conservative by construction: a schema that uses any keyword outside the small subset
 * below is not compiled at all, and any value it is not certain about (a failed check, a number type
 * or a format it does not know) goes to the library. Where it answers yes, the library agrees —
 * {@code CompiledSchemaTest} compares the two on every request schema of the contract. Subset:
 * {@code type} (one or several), {@code enum} of strings, {@code minLength}/{@code maxLength} (code
 * points, as the library counts), {@code pattern} (found, not matched whole, as the library does),
 * {@code format} uuid/date/date-time on strings and int32/int64 on integers, {@code minimum}/{@code
 * maximum} with whole bounds, {@code properties}, {@code required}, {@code additionalProperties:
 * false}, {@code items}, {@code minItems}/{@code maxItems}, and annotations.
 */
public final class CompiledSchema {

  private static final Set<String> ANNOTATIONS = Set.of("description", "title", "example", "examples", "default", "deprecated",
      "$comment", "readOnly", "writeOnly");
  private static final Set<String> STRING_FORMATS = Set.of("uuid", "date", "date-time");
  private static final Set<String> TYPES = Set.of("null", "boolean", "integer", "number", "string", "object", "array");

  private final Set<String> types;          // empty: any type
  private final Set<String> enumStrings;    // null: no enum
  private final Long minLength;
  private final Long maxLength;
  private final Pattern pattern;
  private final String format;
  private final Long minimum;
  private final Long maximum;
  private final Map<String, CompiledSchema> properties;
  private final List<String> required;
  private final boolean closed;             // additionalProperties: false
  private final CompiledSchema items;       // null: items free
  private final Long minItems;
  private final Long maxItems;

  private CompiledSchema(JsonObject s, Map<String, CompiledSchema> properties, CompiledSchema items) {
    Object type = s.getValue("type");
    Set<String> t = new HashSet<>();
    if (type instanceof String one) t.add(one);
    if (type instanceof JsonArray several) several.forEach(x -> t.add((String) x));
    this.types = Set.copyOf(t);
    this.enumStrings = s.getValue("enum") instanceof JsonArray e ? Set.copyOf(e.stream().map(String.class::cast).toList()) : null;
    this.minLength = s.getLong("minLength");
    this.maxLength = s.getLong("maxLength");
    this.pattern = s.getString("pattern") == null ? null : Pattern.compile(s.getString("pattern"));
    this.format = s.getString("format");
    this.minimum = s.getLong("minimum");
    this.maximum = s.getLong("maximum");
    this.properties = properties;
    this.required = s.getValue("required") instanceof JsonArray r ? List.copyOf(r.stream().map(String.class::cast).toList()) : List.of();
    this.closed = Boolean.FALSE.equals(s.getValue("additionalProperties"));
    this.items = items;
    this.minItems = s.getLong("minItems");
    this.maxItems = s.getLong("maxItems");
  }

  /** The schema compiled, or empty when it uses anything outside the subset (the library alone then checks it). */
  public static Optional<CompiledSchema> of(JsonSchema schema) {
    JsonObject copy = new JsonObject();
    schema.fieldNames().forEach(k -> copy.put(k, schema.get(k)));
    return Optional.ofNullable(compile(copy));
  }

  static Optional<CompiledSchema> of(JsonObject schema) {
    return Optional.ofNullable(compile(schema));
  }

  private static CompiledSchema compile(JsonObject s) {
    Map<String, CompiledSchema> properties = new LinkedHashMap<>();
    CompiledSchema items = null;
    for (String key : s.fieldNames()) {
      Object v = s.getValue(key);
      if (key.startsWith("__") || ANNOTATIONS.contains(key)) continue;   // the library's bookkeeping, annotations
      boolean known = switch (key) {
        case "type" -> v instanceof String t ? TYPES.contains(t)
            : v instanceof JsonArray a && !a.isEmpty() && a.stream().allMatch(x -> x instanceof String t && TYPES.contains(t));
        case "enum" -> v instanceof JsonArray a && a.stream().allMatch(x -> x instanceof String);
        case "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems" -> v instanceof Integer || v instanceof Long;
        case "pattern" -> v instanceof String;
        case "format" -> v instanceof String f && (STRING_FORMATS.contains(f) || f.equals("int32") || f.equals("int64"));
        case "required" -> v instanceof JsonArray a && a.stream().allMatch(x -> x instanceof String);
        case "additionalProperties" -> Boolean.FALSE.equals(v);
        case "properties" -> v instanceof JsonObject p && compileAll(p, properties);
        case "items" -> v instanceof JsonObject i && (items = compile(i)) != null;
        default -> false;
      };
      if (!known) return null;
    }
    return new CompiledSchema(s, Map.copyOf(properties), items);
  }

  private static boolean compileAll(JsonObject schemas, Map<String, CompiledSchema> into) {
    for (String name : schemas.fieldNames()) {
      if (!(schemas.getValue(name) instanceof JsonObject property)) return false;
      CompiledSchema compiled = compile(property);
      if (compiled == null) return false;
      into.put(name, compiled);
    }
    return true;
  }

  /** True only when the value is certainly valid; false means "ask the library", not "invalid". */
  public boolean surelyValid(Object value) {
    if (value instanceof JsonObject o) value = o.getMap();
    if (value instanceof JsonArray a) value = a.getList();
    String type = typeOf(value);
    if (type == null || !types.isEmpty() && !types.contains(type) && !(type.equals("integer") && types.contains("number"))) return false;
    if (enumStrings != null && !(value instanceof String s && enumStrings.contains(s))) return false;
    return switch (type) {
      case "string" -> string((String) value);
      case "integer" -> integer((Number) value);
      case "object" -> object((Map<?, ?>) value);
      case "array" -> array((List<?>) value);
      default -> format == null;   // a format on null, a boolean or a fractional number: the library decides
    };
  }

  /** The JSON type as this class can be sure of it; null when it cannot (a fractional or huge number is left to the library). */
  private static String typeOf(Object value) {
    if (value == null) return "null";
    if (value instanceof Boolean) return "boolean";
    if (value instanceof String) return "string";
    if (value instanceof Map) return "object";
    if (value instanceof List) return "array";
    if (value instanceof Integer || value instanceof Long) return "integer";
    return null;
  }

  private boolean string(String s) {
    if (minLength != null || maxLength != null) {
      int length = s.codePointCount(0, s.length());   // the library's ucs2length: a surrogate pair counts once
      if (minLength != null && length < minLength || maxLength != null && length > maxLength) return false;
    }
    if (pattern != null && !pattern.matcher(s).find()) return false;
    // The library's own format check (public, in its impl package): both sides agree by construction.
    return format == null || STRING_FORMATS.contains(format) && io.vertx.json.schema.impl.Format.fastFormat(format, s);
  }

  private boolean integer(Number n) {
    long v = n.longValue();
    if (minimum != null && v < minimum || maximum != null && v > maximum) return false;
    if (format == null || format.equals("int64")) return true;
    return format.equals("int32") && n instanceof Integer;
  }

  private boolean object(Map<?, ?> object) {
    if (format != null) return false;
    for (String name : required) if (!object.containsKey(name)) return false;
    for (Map.Entry<?, ?> e : object.entrySet()) {
      CompiledSchema property = properties.get(e.getKey());
      if (property == null ? closed : !property.surelyValid(e.getValue())) return false;
    }
    return true;
  }

  private boolean array(List<?> array) {
    if (format != null || minItems != null && array.size() < minItems || maxItems != null && array.size() > maxItems) return false;
    if (items != null) for (Object item : array) if (!items.surelyValid(item)) return false;
    return true;
  }
}
