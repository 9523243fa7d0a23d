package sn.wolo.platform.config;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Checks at start that the configured JWT public key verifies what the private key signs (ES256). */
final class JwtKeyPair {

  private JwtKeyPair() {
  }

  static void check(String privatePem, String publicPem) {
    PrivateKey privateKey;
    PublicKey publicKey;
    try {
      KeyFactory ec = KeyFactory.getInstance("EC");
      privateKey = ec.generatePrivate(new PKCS8EncodedKeySpec(der(privatePem)));
    } catch (Exception e) {
      throw new IllegalArgumentException("WOLO_JWT_PRIVATE_KEY is not a PKCS#8 PEM EC private key");
    }
    try {
      publicKey = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der(publicPem)));
    } catch (Exception e) {
      throw new IllegalArgumentException("WOLO_JWT_PUBLIC_KEY is not an X.509 PEM EC public key");
    }
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      if (!verifier.verify(signature)) throw new IllegalArgumentException("mismatch");
    } catch (Exception e) {
      throw new IllegalArgumentException("WOLO_JWT_PUBLIC_KEY does not match WOLO_JWT_PRIVATE_KEY (a token signed with one fails with the other)");
    }
  }

  private static byte[] der(String pem) {
    return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
  }
}
