package sn.wolo.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A stable, uniform position in [0, 1) for a string: the first 56 bits of its SHA-256 (exact in a
 * double). The same everywhere, with no state: A/B assignments and feature-flag rollouts place
 * subjects with it ({@code "name:subject"}).
 */
public final class StableHash {

  private StableHash() {
  }

  public static double unit(String s) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 7; i++) v = (v << 8) | (h[i] & 0xff);
      return v / (double) (1L << 56);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
