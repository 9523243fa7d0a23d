package sn.wolo.platform.validation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import sn.wolo.platform.errors.DomainException;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.UUID;

/**
 * Typed reading of a JSON request body: an unknown field is a 400 {@code unknown_field} naming it (a
 * misspelt {@code "anonymous"} must not silently mean "not anonymous"), and a wrong value is a 400
 * {@code invalid_<field>}. Absent optional fields read as null; money is whole XOF, never a decimal.
 */
public final class BodyFields {

  private final JsonObject body;
  /** Null: the first invalid field throws. Otherwise invalid fields are collected and read as null. */
  private final Violations violations;

  private BodyFields(JsonObject body, Violations violations) {
    this.body = body;
    this.violations = violations;
  }

  public static BodyFields of(JsonObject body, Set<String> allowed) {
    for (String name : body.fieldNames()) {
      if (!allowed.contains(name)) {
        throw DomainException.invalid("unknown_field", "Unknown field '" + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
            + "'; allowed: " + allowed.stream().sorted().toList());
      }
    }
    return new BodyFields(body, null);
  }

  /**
   * Reads every field, collecting the invalid ones (each then reads as null): call
   * {@link #throwIfInvalid} before using the values, and the client hears of all its mistakes at once.
   */
  public static BodyFields collecting(JsonObject body, Set<String> allowed) {
    of(body, allowed);
    return new BodyFields(body, new Violations());
  }

  /** A value of the caller's reading, checked like the others (null when it is refused while collecting). */
  public <T> T rule(String name, java.util.function.Supplier<T> read) {
    return guard(name, read);
  }

  /** A rule of the caller's about one field (collected like the others). */
  public void check(String name, Runnable rule) {
    guard(name, () -> {
      rule.run();
      return null;
    });
  }

  public void throwIfInvalid() {
    if (violations != null) violations.throwIfAny();
  }

  private <T> T guard(String name, java.util.function.Supplier<T> read) {
    return violations == null ? read.get() : violations.field(name, read);
  }

  public boolean has(String name) {
    return body.containsKey(name);
  }

  /** Trimmed text of 1 to {@code max} characters. */
  public String text(String name, int max, boolean required) {
    return guard(name, () -> readText(name, max, required));
  }

  private String readText(String name, int max, boolean required) {
    Object v = present(name, required);
    if (v == null) return null;
    if (!(v instanceof String s) || s.isBlank() || s.length() > max) throw invalid(name, "text of 1 to " + max + " characters");
    return s.trim();
  }

  public Long money(String name, long min, long max, boolean required) {
    return guard(name, () -> readMoney(name, min, max, required));
  }

  private Long readMoney(String name, long min, long max, boolean required) {
    Object v = present(name, required);
    if (v == null) return null;
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
      throw invalid(name, "a whole number of francs from " + min + " to " + max);
    }
    return ((Number) v).longValue();
  }

  public Integer integer(String name, int min, int max, boolean required) {
    return guard(name, () -> readInteger(name, min, max, required));
  }

  private Integer readInteger(String name, int min, int max, boolean required) {
    Object v = present(name, required);
    if (v == null) return null;
    if (!(v instanceof Integer i) || i < min || i > max) throw invalid(name, "a whole number from " + min + " to " + max);
    return i;
  }

  /** A percentage from 0 to 100 with at most two decimals (a JSON number). */
  public BigDecimal percentage(String name, boolean required) {
    return guard(name, () -> readPercentage(name, required));
  }

  private BigDecimal readPercentage(String name, boolean required) {
    Object v = present(name, required);
    if (v == null) return null;
    if (!(v instanceof Number n)) throw invalid(name, "a number from 0 to 100");
    BigDecimal d = new BigDecimal(n.toString());
    if (d.signum() < 0 || d.compareTo(BigDecimal.valueOf(100)) > 0 || d.stripTrailingZeros().scale() > 2) {
      throw invalid(name, "a number from 0 to 100 with at most two decimals");
    }
    return d;
  }

  public LocalDate date(String name, boolean required) {
    return guard(name, () -> readDate(name, required));
  }

  private LocalDate readDate(String name, boolean required) {
    Object v = present(name, required);
    if (v == null) return null;
    try {
      if (v instanceof String s && s.length() == 10) return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      // refused below
    }
    throw invalid(name, "a date YYYY-MM-DD");
  }

  public String oneOf(String name, Set<String> values, boolean required) {
    return guard(name, () -> readOneOf(name, values, required));
  }

  private String readOneOf(String name, Set<String> values, boolean required) {
    Object v = present(name, required);
    if (v == null) return null;
    if (!(v instanceof String s) || !values.contains(s)) throw invalid(name, "one of " + values.stream().sorted().toList());
    return s;
  }

  public Boolean bool(String name, boolean required) {
    return guard(name, () -> readBool(name, required));
  }

  private Boolean readBool(String name, boolean required) {
    Object v = present(name, required);
    if (v == null) return null;
    if (!(v instanceof Boolean b)) throw invalid(name, "true or false");
    return b;
  }

  public UUID uuid(String name, boolean required) {
    return guard(name, () -> readUuid(name, required));
  }

  private UUID readUuid(String name, boolean required) {
    Object v = present(name, required);
    if (v == null) return null;
    try {
      if (v instanceof String s && s.length() == 36) return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw invalid(name, "a UUID");
  }

  public JsonArray array(String name, int maxSize, boolean required) {
    return guard(name, () -> readArray(name, maxSize, required));
  }

  private JsonArray readArray(String name, int maxSize, boolean required) {
    Object v = present(name, required);
    if (v == null) return null;
    if (!(v instanceof JsonArray a) || a.size() > maxSize) throw invalid(name, "a list of at most " + maxSize + " items");
    return a;
  }

  private Object present(String name, boolean required) {
    Object v = body.getValue(name);
    if (v == null && required) throw DomainException.invalid("invalid_" + name, name + " is required.");
    return v;
  }

  private static DomainException invalid(String name, String what) {
    return DomainException.invalid("invalid_" + name, name + " must be " + what + ".");
  }
}
