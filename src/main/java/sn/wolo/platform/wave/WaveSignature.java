package sn.wolo.platform.wave;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Wave's webhook authentication. Signing-secret strategy: {@code Wave-Signature: t=<unix>,v1=<hex>}
 * where v1 = HMAC-SHA256(secret, t + raw body); several v1 values may be present (secret rotation)
 * and one match suffices; timestamps outside the tolerance are refused (replays). Shared-secret
 * strategy: {@code Authorization: Bearer <secret>}. Every comparison is constant-time.
 */
public final class WaveSignature {

  /**
   * One keyed MAC per thread and secret, reused: looking up the provider and keying a MAC cost more
   * than hashing a webhook body. A thread (an event loop) verifies one body at a time.
   */
  private static final ThreadLocal<KeyedMac> MACS = new ThreadLocal<>();

  private record KeyedMac(String secret, Mac mac) {
  }

  private WaveSignature() {
  }

  public static String header(String secret, long unixSeconds, byte[] body) {
    return "t=" + unixSeconds + ",v1=" + hmacHex(secret, unixSeconds, body);
  }

  /** True when {@code header} carries a valid, fresh signature of {@code body}. */
  public static boolean verify(String header, byte[] body, String secret, long nowSeconds, long toleranceSeconds) {
    if (header == null || secret == null || secret.isEmpty() || header.length() > 2048) return false;
    Long t = null;
    java.util.List<String> signatures = new java.util.ArrayList<>();
    for (String part : header.split(",")) {
      String p = part.trim();
      if (p.startsWith("t=")) {
        try {
          t = Long.parseLong(p.substring(2));
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (p.startsWith("v1=")) {
        signatures.add(p.substring(3));
      }
    }
    if (t == null || signatures.isEmpty() || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
    byte[] expected = hmacHex(secret, t, body).getBytes(StandardCharsets.US_ASCII);
    boolean match = false;
    for (String s : signatures) {
      match |= MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.US_ASCII));   // no early exit
    }
    return match;
  }

  public static boolean verifyBearer(String authorization, String secret) {
    return sn.wolo.platform.security.Tokens.bearerMatches(authorization, secret);
  }

  private static String hmacHex(String secret, long t, byte[] body) {
    try {
      KeyedMac keyed = MACS.get();
      if (keyed == null || !keyed.secret().equals(secret)) {
        Mac fresh = Mac.getInstance("HmacSHA256");
        fresh.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        keyed = new KeyedMac(secret, fresh);
        MACS.set(keyed);
      }
      Mac mac = keyed.mac();   // doFinal below resets it for the next use
      mac.update(Long.toString(t).getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
