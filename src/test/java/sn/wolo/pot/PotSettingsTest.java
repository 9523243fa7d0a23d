package sn.wolo.pot;

import org.junit.jupiter.api.Test;
import sn.wolo.platform.config.WoloConfig;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 11: a domain's settings are read once, typed, and a bad one stops the start naming its variable. */
class PotSettingsTest {

  @Test
  void theDefaultsMakeValidSettings() {
    PotSettings s = PotSettings.from(WoloConfig.load(Map.of(), Map.of()));
    assertTrue(s.minTargetCfa() >= 1 && s.maxTargetCfa() >= s.minTargetCfa());
    assertEquals(1000, s.sweepMs());
  }

  @Test
  void aBadValueNamesItsVariable() {
    var zero = assertThrows(IllegalArgumentException.class,
        () -> PotSettings.from(WoloConfig.load(Map.of("WOLO_POT_SWEEP_MS", "0"), Map.of())));
    assertEquals("configuration WOLO_POT_SWEEP_MS must be at least 10, got 0", zero.getMessage());
    var inverted = assertThrows(IllegalArgumentException.class, () -> PotSettings.from(WoloConfig.load(
        Map.of("WOLO_POT_MIN_TARGET_CFA", "5000", "WOLO_POT_MAX_TARGET_CFA", "1000"), Map.of())));
    assertTrue(inverted.getMessage().contains("WOLO_POT_MAX_TARGET_CFA"), inverted.getMessage());
  }
}
