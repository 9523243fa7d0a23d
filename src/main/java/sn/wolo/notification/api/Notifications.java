package sn.wolo.notification.api;

import io.vertx.core.Future;
import sn.wolo.platform.bus.BusContract;

import java.util.Map;
import java.util.UUID;

/** What other domains ask of notifications (served by {@code NotificationVerticle}). */
@BusContract(domain = "notification")
public interface Notifications {

  /**
   * Renders a template and queues it for sending, honouring the user's preferences and quiet hours
   * ({@code NOT_FOUND template_not_found}, {@code INVALID invalid_channel}). A repeated
   * {@code dedupeKey} queues nothing ({@code duplicate}).
   */
  Future<SendOutcome> send(OutgoingMessage message);

  /**
   * Queues many messages at once (a burst's), each as {@link #send} would; one owner's
   * {@code donation_received} messages on one channel join their digest in one addition.
   */
  Future<Void> sendAll(java.util.List<OutgoingMessage> messages);

  /** The user's preferences (the defaults until they change one). */
  Future<NotificationPreferences> preferences(UUID userId);

  /** Changes the preferences named in {@code changes} ({@code INVALID invalid_<field>}); returns them all. */
  Future<NotificationPreferences> updatePreferences(UUID userId, Map<String, Object> changes);
}
