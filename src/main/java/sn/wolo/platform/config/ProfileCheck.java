package sn.wolo.platform.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Profiles: {@code dev} fills gaps with local stand-ins (embedded database, Wave simulator, sandbox
 * notifications, generated keys) and says so in the log; {@code prod} refuses to start until every
 * one of those is configured explicitly.
 */
public final class ProfileCheck {

  static final List<String> REQUIRED_IN_PROD = List.of(
      "db.url", "wave.api-key", "wave.webhook.secret", "jwt.private-key", "jwt.public-key", "jwt.key-id",
      "security.master-key");

  private ProfileCheck() {
  }

  public static void verify(WoloConfig config) {
    if (!List.of("on-start", "never", "only").contains(config.string("db.migrate"))) {
      throw new IllegalArgumentException("WOLO_DB_MIGRATE is on-start, never or only, got '" + config.string("db.migrate") + "'");
    }
    // WoloConfig refuses any profile but dev and prod when it loads.
    if (config.profile().equals("prod")) {
      List<String> missing = new ArrayList<>();
      for (String key : REQUIRED_IN_PROD) {
        if (config.optional(key).isEmpty()) missing.add(WoloConfig.envName(key));
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("the prod profile needs explicit settings; missing: " + String.join(", ", missing));
      }
      strongEnough(config);
      reachable(config);
    }
  }

  /**
   * Links sent to people must point at the public site, not at localhost, and sign-in codes need a
   * real SMS gateway: a production server without them would look healthy and help nobody.
   */
  private static void reachable(WoloConfig config) {
    for (String key : List.of("public.base-url", "donation.success-url", "donation.error-url")) {
      String url = config.string(key);
      if (!url.startsWith("https://") || url.contains("localhost") || url.contains("127.0.0.1")) {
        throw new IllegalArgumentException(WoloConfig.envName(key) + " must be the public https:// address in prod, got '" + url + "'");
      }
    }
    if (config.optional("notification.sms.base-url").isEmpty()) {
      throw new IllegalArgumentException("the prod profile needs a real SMS gateway (WOLO_NOTIFICATION_SMS_BASE_URL): sign-in codes go by SMS");
    }
  }

  /** Minimum lengths of secrets, and a JWT key pair that belongs together: weak production settings never start. */
  private static void strongEnough(WoloConfig config) {
    atLeast(config, "wave.webhook.secret", 32);
    atLeast(config, "wave.api-key", 20);
    config.optional("notification.callback-secret").ifPresent(v -> atLeast(config, "notification.callback-secret", 32));
    byte[] master;
    try {
      master = java.util.Base64.getDecoder().decode(config.string("security.master-key"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("WOLO_SECURITY_MASTER_KEY must be base64");
    }
    if (master.length < 32) throw new IllegalArgumentException("WOLO_SECURITY_MASTER_KEY must hold at least 32 random bytes");
    JwtKeyPair.check(config.string("jwt.private-key"), config.string("jwt.public-key"));
  }

  private static void atLeast(WoloConfig config, String key, int length) {
    if (config.string(key).length() < length) {
      throw new IllegalArgumentException(WoloConfig.envName(key) + " is too short: at least " + length + " characters");
    }
  }
}
