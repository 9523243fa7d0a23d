package sn.wolo.notification;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.util.Set;

/**
 * Template variables that are secrets: one-time codes, reset tokens, and links that carry a token
 * (a private pot's share link {@code …?t=…}). They are never kept in {@code template_data}, and
 * the message body that holds them is masked as soon as a provider has taken it (or it failed for
 * good): the database keeps no usable secret. The dev sandbox keeps the body, to be read locally.
 */
final class SecretVariables {

  static final Set<String> NAMES = Set.of("code", "token", "link", "reset_link");
  static final String MASK = "[masqué]";

  private SecretVariables() {
  }

  static boolean declaredIn(JsonObject declared) {
    return NAMES.stream().anyMatch(declared::containsKey);
  }

  /** The data to store: the secret variables removed. */
  static JsonObject without(JsonObject data) {
    JsonObject copy = data.copy();
    NAMES.forEach(copy::remove);
    return copy;
  }

  /**
   * The body rendered again from the template with every secret variable masked; null when the
   * template declares none (the body is kept as it is).
   */
  static String redactedBody(Row message, JsonObject storedData) {
    JsonObject declared = message.getValue("variables") instanceof JsonObject v ? v : new JsonObject();
    if (!declaredIn(declared)) return null;
    JsonObject masked = storedData.copy();
    NAMES.stream().filter(declared::containsKey).forEach(name -> masked.put(name, MASK));
    declared.fieldNames().forEach(name -> {
      if (!masked.containsKey(name)) masked.put(name, "");
    });
    return TemplateRenderer.text(message.getString("template_key"), message.getString("body_text"), declared, masked);
  }
}
