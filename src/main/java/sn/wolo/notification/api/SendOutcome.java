package sn.wolo.notification.api;

import java.time.Instant;
import java.util.UUID;

/** Queued ({@code notificationId}, when), a {@code duplicate} of one already queued, or {@code skipped} and why. */
public record SendOutcome(UUID notificationId, String status, Instant scheduledAt, Boolean duplicate, String skipped) {
}
