package sn.wolo.platform;

import sn.wolo.platform.config.WoloConfig;

import java.time.Clock;

/**
 * What every verticle is built with: the configuration and the clock. Time always comes from this
 * clock (never {@code Instant.now()}), so tests can move to J-30 or to the birthday.
 */
public record AppContext(WoloConfig config, Clock clock) {
}
