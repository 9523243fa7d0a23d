package sn.wolo.notification.api;

import java.util.Map;
import java.util.UUID;

/**
 * A message to queue: which template, by which channel ({@code sms}, {@code whatsapp}, {@code email}),
 * to whom (a phone in E.164 or an email; {@code userId} when the recipient has an account, so their
 * preferences apply), the template's variables, and a key that makes a retry send nothing twice.
 */
public record OutgoingMessage(String templateKey, String channel, String recipient, UUID userId, Map<String, Object> data,
                              String dedupeKey, String locale) {

  public OutgoingMessage(String templateKey, String channel, String recipient, UUID userId, Map<String, Object> data, String dedupeKey) {
    this(templateKey, channel, recipient, userId, data, dedupeKey, null);
  }

  /** Template variables from {@code key, value, key, value, …} (a value may be null: the template shows nothing). */
  public static Map<String, Object> data(Object... keysAndValues) {
    Map<String, Object> data = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) data.put((String) keysAndValues[i], keysAndValues[i + 1]);
    return data;
  }
}
