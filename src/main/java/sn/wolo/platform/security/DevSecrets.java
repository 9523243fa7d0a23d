package sn.wolo.platform.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.config.WoloConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The dev profile's stand-ins for secrets that prod must be given: an EC P-256 JWT key pair, its
 * key id and the master key, generated at first start into a local directory (mode 600, outside
 * the repository, never committed) and reused afterwards so tokens survive restarts. Blocking I/O.
 */
public final class DevSecrets {

  private static final Logger log = LoggerFactory.getLogger(DevSecrets.class);

  private DevSecrets() {
  }

  /** Returns {@code config} with every missing secret filled from (or generated into) {@code dir}. */
  public static WoloConfig fillMissing(WoloConfig config, Path dir) {
    if (!config.isDev()) return config;
    Map<String, String> filled = new HashMap<>();
    boolean jwtMissing = config.optional("jwt.private-key").isEmpty() || config.optional("jwt.public-key").isEmpty();
    if (jwtMissing) {
      Path priv = dir.resolve("jwt-private.pem");
      Path pub = dir.resolve("jwt-public.pem");
      Path kid = dir.resolve("jwt-kid");
      if (!Files.exists(priv)) {
        KeyPair pair = generateEcKeyPair();
        write(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        write(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        write(kid, "dev-" + UUID.randomUUID().toString().substring(0, 8));
        log.info("dev profile: generated a JWT signing key (ES256) in {}", dir);
      } else {
        log.info("dev profile: using the generated JWT signing key in {}", dir);
      }
      filled.put("jwt.private-key", read(priv));
      filled.put("jwt.public-key", read(pub));
      filled.put("jwt.key-id", read(kid).trim());
    } else if (config.optional("jwt.key-id").isEmpty()) {
      filled.put("jwt.key-id", "configured");
    }
    if (config.optional("security.master-key").isEmpty()) {
      Path master = dir.resolve("master-key");
      if (!Files.exists(master)) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        write(master, Base64.getEncoder().encodeToString(key));
        log.info("dev profile: generated a master key (field encryption, keyed hashes) in {}", dir);
      }
      filled.put("security.master-key", read(master).trim());
    }
    return config.with(filled);
  }

  private static KeyPair generateEcKeyPair() {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"));
      return gen.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system (Windows): the user's profile directory is private anyway
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
