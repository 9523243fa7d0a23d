package sn.wolo.platform.events;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * Something that happened in a domain, e.g. {@code pot.opened}. The prefix of the type before the
 * first dot is the owning domain: it selects the Kafka topic {@code wolo.<domain>.events}.
 */
public record DomainEvent(UUID eventId, String type, String aggregateType, String aggregateId,
                          JsonObject payload, Instant occurredAt) {

  public static DomainEvent of(String type, String aggregateType, Object aggregateId, JsonObject payload, Instant now) {
    return new DomainEvent(UUID.randomUUID(), type, aggregateType, String.valueOf(aggregateId), payload, now);
  }

  public String domain() {
    return type.substring(0, type.indexOf('.'));
  }

  public String kafkaTopic() {
    return "wolo." + domain() + ".events";
  }

  /** The envelope published on the event bus and to Kafka. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("event_id", eventId.toString())
        .put("type", type)
        .put("aggregate_type", aggregateType)
        .put("aggregate_id", aggregateId)
        .put("occurred_at", occurredAt.toString())
        .put("payload", payload);
  }

  public static DomainEvent fromJson(JsonObject json) {
    return new DomainEvent(UUID.fromString(json.getString("event_id")), json.getString("type"),
        json.getString("aggregate_type"), json.getString("aggregate_id"),
        json.getJsonObject("payload", new JsonObject()), Instant.parse(json.getString("occurred_at")));
  }
}
