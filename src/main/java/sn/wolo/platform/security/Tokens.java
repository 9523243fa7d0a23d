package sn.wolo.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Opaque random secrets (refresh tokens, reset tokens, share links) and how we store them: hashed. */
public final class Tokens {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {
  }

  /** 256 random bits, URL-safe. */
  public static String random256() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A uniformly random decimal code of {@code digits} digits (OTP). */
  public static String digits(int digits) {
    StringBuilder sb = new StringBuilder(digits);
    for (int i = 0; i < digits; i++) sb.append(RANDOM.nextInt(10));
    return sb.toString();
  }

  /** SHA-256 hex: enough for high-entropy tokens (a 256-bit secret cannot be brute-forced from its hash). */
  public static String sha256(String value) {
    return HexFormat.of().formatHex(sha256(value.getBytes(StandardCharsets.UTF_8)));
  }

  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time comparison of two strings (no early exit on the first differing byte). */
  public static boolean constantTimeEquals(String a, String b) {
    if (a == null || b == null) return false;
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** An {@code Authorization: Bearer <secret>} header checked in constant time; an empty secret matches nothing. */
  public static boolean bearerMatches(String authorization, String secret) {
    if (authorization == null || secret == null || secret.isEmpty()) return false;
    return java.security.MessageDigest.isEqual(("Bearer " + secret).getBytes(StandardCharsets.UTF_8),
        authorization.getBytes(StandardCharsets.UTF_8));
  }
}
