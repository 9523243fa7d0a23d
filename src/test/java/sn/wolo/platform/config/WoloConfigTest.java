package sn.wolo.platform.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WoloConfigTest {

  @Test
  void defaultsComeFromTheYaml() {
    WoloConfig c = WoloConfig.load(Map.of(), Map.of());
    assertEquals("dev", c.profile());
    assertEquals(8080, c.integer("http.port"));
    assertTrue(c.optional("db.url").isEmpty());
    assertEquals("signing", c.string("wave.webhook.strategy"));
  }

  @Test
  void environmentOverridesYamlAndSystemPropertiesOverrideEnvironment() {
    WoloConfig c = WoloConfig.load(
        Map.of("WOLO_HTTP_PORT", "9090", "WOLO_DB_URL", "postgresql://u:p@db:5432/wolo",
            "WOLO_WAVE_WEBHOOK_SECRET", "whs", "WOLO_HTTP_BODY_LIMIT", "100"),
        Map.of("wolo.http.port", "9191"));
    assertEquals(9191, c.integer("http.port"));
    assertEquals("postgresql://u:p@db:5432/wolo", c.string("db.url"));
    assertEquals("whs", c.string("wave.webhook.secret"));
    assertEquals(100, c.integer("http.body-limit"));
  }

  @Test
  void typosInWoloVariablesAreReported() {
    var unknown = WoloConfig.unknownOverrides(Map.of("WOLO_HTTP_PROT", "1", "WOLO_HTTP_PORT", "2", "PATH", "/bin"));
    assertEquals(java.util.List.of("WOLO_HTTP_PROT"), unknown);
  }

  @Test
  void badValuesAreRefusedAtLoadNamingTheVariable() {
    var e = assertThrows(IllegalArgumentException.class, () -> WoloConfig.load(Map.of("WOLO_HTTP_PORT", "eighty"), Map.of()));
    assertTrue(e.getMessage().contains("WOLO_HTTP_PORT must be an integer"), e.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> WoloConfig.load(Map.of("WOLO_HTTP_PORT", "70000"), Map.of()))
        .getMessage().contains("between 0 and 65535"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> WoloConfig.load(Map.of("WOLO_DB_POOL_SIZE", "-1"), Map.of()))
        .getMessage().contains("WOLO_DB_POOL_SIZE"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> WoloConfig.load(Map.of("WOLO_PROFILE", "production"), Map.of()))
        .getMessage().contains("WOLO_PROFILE must be one of dev, prod"));
  }

  @Test
  void prodRefusesToStartWithoutExplicitSecretsAndSaysWhichAreMissing() {
    WoloConfig prod = WoloConfig.load(Map.of("WOLO_PROFILE", "prod", "WOLO_DB_URL", "postgresql://u:p@db/wolo"), Map.of());
    var e = assertThrows(IllegalArgumentException.class, () -> ProfileCheck.verify(prod));
    assertTrue(e.getMessage().contains("WOLO_WAVE_API_KEY"));
    assertTrue(e.getMessage().contains("WOLO_JWT_PRIVATE_KEY"));
    assertTrue(!e.getMessage().contains("WOLO_DB_URL"), "the configured one is not listed");

    java.security.KeyPair pair = ecKeyPair();
    Map<String, String> strong = Map.of("wave.api-key", "wave_sn_prod_" + "k".repeat(20), "wave.webhook.secret", "s".repeat(40),
        "jwt.private-key", pem("PRIVATE KEY", pair.getPrivate().getEncoded()), "jwt.public-key", pem("PUBLIC KEY", pair.getPublic().getEncoded()),
        "jwt.key-id", "kid", "security.master-key", java.util.Base64.getEncoder().encodeToString(new byte[32]));
    Map<String, String> reachable = Map.of("public.base-url", "https://wolo.sn", "donation.success-url", "https://wolo.sn/donation/success",
        "donation.error-url", "https://wolo.sn/donation/error", "notification.sms.base-url", "https://sms.example.sn/api");
    // Issue 17: links to localhost, or no SMS gateway, never start in prod.
    var local = assertThrows(IllegalArgumentException.class, () -> ProfileCheck.verify(prod.with(strong)));
    assertTrue(local.getMessage().contains("WOLO_PUBLIC_BASE_URL"), local.getMessage());
    var noSms = new java.util.HashMap<>(reachable);
    noSms.remove("notification.sms.base-url");
    var sms = assertThrows(IllegalArgumentException.class, () -> ProfileCheck.verify(prod.with(strong).with(noSms)));
    assertTrue(sms.getMessage().contains("WOLO_NOTIFICATION_SMS_BASE_URL"), sms.getMessage());
    WoloConfig complete = prod.with(strong).with(reachable);
    ProfileCheck.verify(complete);
    // Issue 19: weak production settings never start, and the message names the variable.
    var weak = assertThrows(IllegalArgumentException.class, () -> ProfileCheck.verify(complete.with(Map.of("wave.webhook.secret", "x"))));
    assertTrue(weak.getMessage().contains("WOLO_WAVE_WEBHOOK_SECRET is too short"), weak.getMessage());
    var otherPair = ecKeyPair();
    var mismatch = assertThrows(IllegalArgumentException.class, () -> ProfileCheck.verify(complete.with(Map.of("jwt.public-key",
        pem("PUBLIC KEY", otherPair.getPublic().getEncoded())))));
    assertTrue(mismatch.getMessage().contains("WOLO_JWT_PUBLIC_KEY does not match"), mismatch.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ProfileCheck.verify(complete.with(Map.of("security.master-key", "c2hvcnQ="))));
    ProfileCheck.verify(WoloConfig.load(Map.of(), Map.of()));   // dev needs nothing
    assertThrows(IllegalArgumentException.class,
        () -> ProfileCheck.verify(WoloConfig.load(Map.of("WOLO_PROFILE", "staging"), Map.of())));
  }

  private static java.security.KeyPair ecKeyPair() {
    try {
      var g = java.security.KeyPairGenerator.getInstance("EC");
      g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
