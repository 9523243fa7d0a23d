package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import sn.wolo.notification.api.NotificationPreferences;
import sn.wolo.notification.api.Notifications;
import sn.wolo.notification.api.OutgoingMessage;
import sn.wolo.notification.api.SendOutcome;
import sn.wolo.platform.bus.ContractJson;

import java.util.Map;
import java.util.UUID;

/** Serves {@link Notifications} from the enqueuer and the preferences. */
record NotificationsEndpoint(Enqueuer enqueuer, Preferences preferences) implements Notifications {

  @Override
  public Future<SendOutcome> send(OutgoingMessage message) {
    return enqueuer.enqueue(ContractJson.toRequest(message)).map(json -> ContractJson.fromJson(json, SendOutcome.class));
  }

  @Override
  public Future<Void> sendAll(java.util.List<OutgoingMessage> messages) {
    return enqueuer.enqueueAll(messages.stream().map(ContractJson::toRequest).toList()).mapEmpty();
  }

  @Override
  public Future<NotificationPreferences> preferences(UUID userId) {
    return preferences.get(userId).map(json -> ContractJson.fromJson(json, NotificationPreferences.class));
  }

  @Override
  public Future<NotificationPreferences> updatePreferences(UUID userId, Map<String, Object> changes) {
    return preferences.put(userId, new JsonObject(changes == null ? Map.of() : changes))
        .map(json -> ContractJson.fromJson(json, NotificationPreferences.class));
  }
}
