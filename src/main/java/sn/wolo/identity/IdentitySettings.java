package sn.wolo.identity;

import sn.wolo.platform.config.WoloConfig;

import java.util.Locale;
import java.util.Set;

/** The identity domain's settings, read and checked once at start (a bad value stops the start, naming its variable). */
record IdentitySettings(int otpTtlSeconds, int otpMaxAttempts, int otpResendCooldownSeconds, int otpMaxPerPhonePerHour,
                        int otpMaxPerIpPerHour, Set<String> otpAllowedCountries, int refreshTtlDays, int authRateLimitPerMinute,
                        String masterKey) {

  static IdentitySettings from(WoloConfig c) {
    Set<String> countries = Set.of(c.string("otp.allowed-countries").toUpperCase(Locale.ROOT).split("\\s*,\\s*"));
    if (countries.stream().anyMatch(code -> !code.matches("[A-Z]{2}"))) {
      throw new IllegalArgumentException("configuration " + WoloConfig.envName("otp.allowed-countries")
          + " is a comma-separated list of ISO country codes, got '" + c.string("otp.allowed-countries") + "'");
    }
    return new IdentitySettings(c.atLeast("otp.ttl-seconds", 30), c.atLeast("otp.max-attempts", 1), c.atLeast("otp.resend-cooldown-seconds", 0),
        c.atLeast("otp.max-per-phone-per-hour", 1), c.atLeast("otp.max-per-ip-per-hour", 1), countries, c.atLeast("jwt.refresh-ttl-days", 1),
        c.atLeast("auth.rate-limit-per-minute", 1), c.string("security.master-key"));
  }
}
