package sn.wolo.notification;

import org.junit.jupiter.api.Test;
import sn.wolo.platform.config.WoloConfig;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A claimed message's lease must outlast its send: with a 2 s lease and a provider taking 10 s, the
 * sender claimed the message again while its first send waited and sent it five times (found by
 * {@link SenderCrashTest}). Such a lease now stops the start.
 */
class NotificationSettingsTest {

  @Test
  void aLeaseShorterThanASendIsRefusedNamingItsVariable() {
    var shortLease = assertThrows(IllegalArgumentException.class,
        () -> NotificationSettings.from(WoloConfig.load(Map.of("WOLO_NOTIFICATION_LEASE_SECONDS", "2"), Map.of())));
    assertEquals("configuration WOLO_NOTIFICATION_LEASE_SECONDS must be at least 15, got 2", shortLease.getMessage());
    assertEquals(300, NotificationSettings.from(WoloConfig.load(Map.of(), Map.of())).leaseSeconds());
  }
}
