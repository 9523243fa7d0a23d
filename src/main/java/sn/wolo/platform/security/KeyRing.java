package sn.wolo.platform.security;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Keys derived from the master key (WOLO_SECURITY_MASTER_KEY), one per purpose, so a leak of one
 * derived key exposes one use only: keyed hashes of low-entropy secrets (OTP codes, ID numbers)
 * and AES-256-GCM encryption of fields at rest (ID numbers).
 */
public final class KeyRing {

  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] master;

  public KeyRing(byte[] master) {
    if (master.length < 32) throw new IllegalArgumentException("the master key must be at least 32 bytes");
    this.master = master.clone();
  }

  public static KeyRing fromBase64(String base64) {
    return new KeyRing(Base64.getDecoder().decode(base64));
  }

  /** HMAC-SHA256 of {@code value} under the key of {@code purpose}, hex. */
  public String hmac(String purpose, String value) {
    return HexFormat.of().formatHex(mac(derive(purpose), value.getBytes(StandardCharsets.UTF_8)));
  }

  /** AES-256-GCM with a random 96-bit nonce; output base64(nonce ‖ ciphertext ‖ tag). */
  public String encrypt(String purpose, String plaintext) {
    try {
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(derive(purpose), "AES"), new GCMParameterSpec(128, iv));
      c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
      byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed", e);
    }
  }

  public String decrypt(String purpose, String encoded) {
    try {
      byte[] all = Base64.getDecoder().decode(encoded);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(derive(purpose), "AES"), new GCMParameterSpec(128, all, 0, 12));
      c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
      return new String(c.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("decryption failed (wrong key or tampered data)", e);
    }
  }

  private byte[] derive(String purpose) {
    return mac(master, ("wolo/" + purpose).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] mac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
