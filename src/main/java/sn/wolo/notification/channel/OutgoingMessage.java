package sn.wolo.notification.channel;

import io.vertx.core.json.JsonObject;

/** A rendered message ready to leave: where to, what, and the template data (for WhatsApp templates). */
public record OutgoingMessage(String id, String channel, String recipient, String templateKey, String locale,
                              String subject, String body, String bodyHtml, JsonObject data) {
}
