package sn.wolo.platform.http;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Location;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.errors.FieldError;
import sn.wolo.platform.validation.Violations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a request against its operation in the contract before the handler runs: path and query
 * parameters, the body's content type and its JSON schema (types, required fields, formats, and
 * {@code additionalProperties: false}, which names a misspelt field). Every invalid field is listed at
 * once in {@code error.fields}, with the same codes the domains use ({@code invalid_<field>},
 * {@code unknown_field}, {@code invalid_json}).
 *
 * <p>It runs after the route's guard, so an anonymous caller learns nothing about a protected
 * operation's schema, and on the event loop: the schemas are small and their validators are built
 * once, at mount, where the library's own validator would hop to a worker for every request. A
 * request the schema's compiled checks ({@link CompiledSchema}) find surely valid skips the library's
 * validator; any other goes through it, and it names the errors.
 */
final class ContractValidation implements Handler<RoutingContext> {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ContractValidation.class);
  /** The parsed JSON body, so the handler does not parse it again ({@link JsonBodies#object}). */
  static final String PARSED_BODY = "wolo.body";
  private static final Pattern QUOTED = Pattern.compile("['\"]([^'\"]{1,80})['\"]");

  private final Operation operation;
  /** A parameter or body schema: the library's validator, and its compiled checks when the schema allows (else null). */
  private record Check(Validator validator, CompiledSchema fast) {
    static Check of(SchemaRepository schemas, io.vertx.json.schema.JsonSchema schema) {
      return new Check(schemas.validator(schema), CompiledSchema.of(schema).orElse(null));
    }

    /** The compiled checks are sure the value is valid (the library need not be asked). */
    boolean surelyValid(Object value) {
      return fast != null && fast.surelyValid(value);
    }

    /** Valid by the compiled checks when they are sure, else by the library (which alone ever says invalid). */
    boolean valid(Object value) {
      return surelyValid(value) || validator.validate(value).getValid();
    }
  }

  /** The operation's path and query parameters with their checks, built once at mount. */
  private final List<Map.Entry<Parameter, Check>> parameters = new ArrayList<>();
  /** The JSON body's checks, or null when the operation takes no JSON body. */
  private final Check bodyCheck;
  /**
   * The body's arrays whose items the contract leaves free (an analytics batch: each event is checked
   * by the domain, which reports the bad ones by index), by name, with their {minItems, maxItems}: the
   * validator is shown them empty and their length is checked here — item by item it spent ~3 µs per
   * item on nothing, a third of the event loops' time under an analytics load.
   */
  private final Map<String, long[]> freeArrays = new LinkedHashMap<>();
  private static final Set<String> ANNOTATIONS = Set.of("description", "title", "examples", "$comment", "deprecated");
  /** What an array schema may say and still leave its items free (anything else — uniqueItems, contains… — needs the validator). */
  private static final Set<String> LENGTH_ONLY = Set.of("type", "items", "minItems", "maxItems", "description");

  ContractValidation(Operation operation, SchemaRepository schemas) {
    this.operation = operation;
    for (Parameter p : operation.getParameters()) {
      if (p.getIn() == Location.PATH || p.getIn() == Location.QUERY) parameters.add(Map.entry(p, Check.of(schemas, p.getSchema())));
    }
    MediaType json = operation.getRequestBody() == null ? null : operation.getRequestBody().getContent().get("application/json");
    this.bodyCheck = json == null || json.getSchema() == null ? null : Check.of(schemas, json.getSchema());
    if (json != null && json.getSchema() != null && json.getSchema().get("properties") instanceof JsonObject properties) {
      properties.forEach(p -> {
        if (p.getValue() instanceof JsonObject array && "array".equals(array.getValue("type")) && array.getValue("items") instanceof JsonObject items
            && keywords(items).allMatch(ANNOTATIONS::contains)
            && keywords(array).allMatch(LENGTH_ONLY::contains)) {
          freeArrays.put(p.getKey(), new long[] {array.getLong("minItems", 0L), array.getLong("maxItems", Long.MAX_VALUE)});
        }
      });
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    Map<String, FieldError> errors = new LinkedHashMap<>();
    for (Map.Entry<Parameter, Check> p : parameters) {
      String raw = p.getKey().getIn() == Location.PATH ? ctx.pathParam(p.getKey().getName()) : ctx.request().getParam(p.getKey().getName());
      checkParameter(p.getKey(), p.getValue(), raw, errors);
    }
    if (operation.getRequestBody() != null) checkBody(ctx, errors);
    Violations violations = new Violations();   // the same refusal as the domains' own checks: one code, or validation_failed
    errors.values().forEach(violations::add);
    violations.throwIfAny();
    ctx.next();
  }

  private void checkParameter(Parameter p, Check check, String raw, Map<String, FieldError> errors) {
    String name = p.getName();
    if (raw == null) {
      if (p.isRequired()) errors.put(name, new FieldError(name, "invalid_" + name, name + " is required."));
      return;
    }
    Object value = typed(p.getSchema().get("type"), raw);
    if (value == null || !check.valid(value)) {
      String description = p.getSchema().get("description") instanceof String d ? " (" + d + ")" : "";
      errors.put(name, new FieldError(name, "invalid_" + name, name + " does not match the contract" + description + "."));
    }
  }

  /** A parameter's text as the JSON type its schema wants, or null when it cannot be one. */
  private static Object typed(Object type, String raw) {
    try {
      if ("integer".equals(type)) return Long.parseLong(raw);
      if ("number".equals(type)) return Double.parseDouble(raw);
      if ("boolean".equals(type)) return "true".equals(raw) ? Boolean.TRUE : "false".equals(raw) ? Boolean.FALSE : null;
      return raw;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private void checkBody(RoutingContext ctx, Map<String, FieldError> errors) {
    var body = ctx.body();
    boolean empty = body == null || body.buffer() == null || body.length() == 0;
    if (empty) {
      if (operation.getRequestBody().isRequired()) errors.put("", new FieldError("", "invalid_json", "A JSON object body is required."));
      return;
    }
    // No Content-Type at all (a hand-typed curl) is read as JSON; another media type is refused.
    String contentType = ctx.request().getHeader("Content-Type");
    MediaType media = operation.getRequestBody().determineContentType(contentType == null ? "application/json" : contentType);
    if (media == null) {
      throw new DomainException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
          "Send " + String.join(" or ", operation.getRequestBody().getContent().keySet()) + ".");
    }
    Object value;
    try {
      value = body.buffer().toJsonValue();
    } catch (DecodeException e) {
      // the parser's message may echo the body, which can hold secrets
      errors.put("", new FieldError("", "invalid_json", "The body is not valid JSON."));
      return;
    }
    if (value instanceof JsonObject object) ctx.put(PARSED_BODY, object);
    if (bodyCheck == null) return;
    Object shown = withFreeArraysChecked(value, errors);
    if (bodyCheck.surelyValid(shown)) return;
    OutputUnit result;
    try {
      result = bodyCheck.validator().validate(shown);
    } catch (RuntimeException bug) {
      // The validator itself failed on this input (a library bug): refuse rather than let it through unchecked.
      log.warn("the contract check of {} failed on its input: {}", operation.getOperationId(), bug.toString());
      errors.put("", new FieldError("", "validation_failed", "The body could not be checked against the contract."));
      return;
    }
    if (!result.getValid()) fieldErrors(result, errors);
  }

  /** A schema's keywords (the schema library adds bookkeeping entries named {@code __…__}). */
  private static java.util.stream.Stream<String> keywords(JsonObject schema) {
    return schema.fieldNames().stream().filter(k -> !k.startsWith("__"));
  }

  /** The body with its free arrays emptied, once their length was checked (a length out of bounds is an error of that field). */
  private Object withFreeArraysChecked(Object value, Map<String, FieldError> errors) {
    if (freeArrays.isEmpty() || !(value instanceof JsonObject body)) return value;
    JsonObject shown = null;
    for (Map.Entry<String, long[]> free : freeArrays.entrySet()) {
      if (!(body.getValue(free.getKey()) instanceof JsonArray array)) continue;
      String name = free.getKey();
      if (array.size() < free.getValue()[0]) errors.put(name, new FieldError(name, "invalid_" + name, name + ": at least " + free.getValue()[0] + " items."));
      if (array.size() > free.getValue()[1]) errors.put(name, new FieldError(name, "invalid_" + name, name + ": at most " + free.getValue()[1] + " items."));
      if (shown == null) shown = new JsonObject(new LinkedHashMap<>(body.getMap()));   // shallow: only the emptied arrays differ
      shown.put(name, new JsonArray());
    }
    return shown == null ? value : shown;
  }

  /**
   * The schema's errors, one per field, named as the domains name them. The validator also reports
   * {@code additionalProperties} for a known property whose value failed, so a property is unknown
   * only when nothing else is wrong in or under it.
   */
  private static void fieldErrors(OutputUnit result, Map<String, FieldError> errors) {
    List<OutputUnit> units = result.getErrors() == null || result.getErrors().isEmpty() ? List.of(result) : result.getErrors();
    Map<String, FieldError> unknown = new LinkedHashMap<>();
    for (OutputUnit unit : units) {
      String path = dotted(unit.getInstanceLocation());
      String keyword = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation().replaceAll(".*/", "");
      String message = unit.getError() == null ? "is invalid" : unit.getError();
      switch (keyword) {
        case "additionalProperties", "unevaluatedProperties" -> unknown.put(path, new FieldError(path, "unknown_field",
            "Unknown field '" + (path.length() > 40 ? path.substring(0, 40) + "…" : path) + "': check its spelling in the API reference."));
        case "required" -> {
          Matcher m = QUOTED.matcher(message);
          String field = m.find() ? m.group(1) : "";
          String at = path.isEmpty() ? field : path + "." + field;
          errors.put(at, new FieldError(at, "invalid_" + field, at + " is required."));
        }
        case "properties", "items", "prefixItems", "$ref", "allOf", "anyOf", "oneOf" -> { }   // summaries of the errors below them
        default -> {
          if (path.isEmpty()) {
            errors.putIfAbsent("", new FieldError("", "invalid_json", "The body must be a JSON object: " + message + "."));
          } else {
            String leaf = path.replaceAll(".*\\.", "").replaceAll("\\[\\d+]$", "");
            errors.putIfAbsent(path, new FieldError(path, "invalid_" + leaf, path + ": " + message + "."));
          }
        }
      }
    }
    // An "additional" property with errors of its own or inside it is a known one whose value failed.
    unknown.forEach((path, error) -> {
      boolean known = errors.keySet().stream().anyMatch(p -> p.equals(path) || p.startsWith(path + ".") || p.startsWith(path + "["));
      if (!known) errors.put(path, error);
    });
  }

  /** {@code /contacts/0/phone} (a JSON pointer) as {@code contacts[0].phone}. */
  static String dotted(String pointer) {
    if (pointer == null) return "";
    String p = pointer.startsWith("#") ? pointer.substring(1) : pointer;
    StringBuilder out = new StringBuilder();
    for (String part : p.split("/")) {
      if (part.isEmpty()) continue;
      if (part.chars().allMatch(Character::isDigit)) out.append('[').append(part).append(']');
      else out.append(out.length() == 0 ? "" : ".").append(part.replace("~1", "/").replace("~0", "~"));
    }
    return out.toString();
  }
}
