package sn.wolo.platform.db;

import io.vertx.pgclient.PgConnectOptions;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the database is: parsed from {@code postgresql://user:pass@host:5432/db} (WOLO_DB_URL), with
 * optional TLS as libpq spells it: {@code ?sslmode=require|verify-ca|verify-full&sslrootcert=/path/ca.crt}
 * (the reactive pool, the LISTEN connection and Flyway's JDBC connection all use it).
 */
public record DatabaseSettings(String host, int port, String database, String user, String password, String sslMode, String sslRootCert) {

  private static final java.util.Set<String> SSL_MODES = java.util.Set.of("disable", "prefer", "require", "verify-ca", "verify-full");

  public DatabaseSettings(String host, int port, String database, String user, String password) {
    this(host, port, database, user, password, "disable", null);
  }

  public static DatabaseSettings parse(String url) {
    String u = url.startsWith("jdbc:") ? url.substring(5) : url;
    if (!u.startsWith("postgresql://") && !u.startsWith("postgres://")) {
      throw new IllegalArgumentException("WOLO_DB_URL must look like postgresql://user:pass@host:5432/db");
    }
    URI uri = URI.create(u);
    String userInfo = uri.getRawUserInfo();
    String user = "postgres";
    String password = "";
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
    }
    String path = uri.getPath();
    String db = path == null || path.length() <= 1 ? "postgres" : path.substring(1);
    String sslMode = "disable";
    String rootCert = null;
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        switch (key) {
          case "sslmode" -> sslMode = value;
          case "sslrootcert" -> rootCert = value;
          default -> throw new IllegalArgumentException("WOLO_DB_URL: unknown parameter " + key + " (sslmode, sslrootcert)");
        }
      }
    }
    if (!SSL_MODES.contains(sslMode)) throw new IllegalArgumentException("WOLO_DB_URL: sslmode is one of " + SSL_MODES);
    if (sslMode.startsWith("verify") && rootCert == null) {
      throw new IllegalArgumentException("WOLO_DB_URL: sslmode=" + sslMode + " needs sslrootcert (the CA that signed the server's certificate)");
    }
    return new DatabaseSettings(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password, sslMode, rootCert);
  }

  public DatabaseSettings withDatabase(String name) {
    return new DatabaseSettings(host, port, name, user, password, sslMode, sslRootCert);
  }

  public String jdbcUrl() {
    String tls = sslMode.equals("disable") ? "" : "?sslmode=" + sslMode + (sslRootCert == null ? "" : "&sslrootcert=" + sslRootCert);
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + tls;
  }

  /** URL form accepted by {@link #parse} (contains the password: never log it). */
  public String url() {
    return "postgresql://" + enc(user) + ":" + enc(password) + "@" + host + ":" + port + "/" + database
        + (sslMode.equals("disable") ? "" : "?sslmode=" + sslMode + (sslRootCert == null ? "" : "&sslrootcert=" + enc(sslRootCert)));
  }

  public PgConnectOptions connectOptions() {
    return new PgConnectOptions()
        .setHost(host).setPort(port).setDatabase(database).setUser(user).setPassword(password)
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(512)
        .setSslMode(io.vertx.pgclient.SslMode.of(sslMode))
        .setSslOptions(sslRootCert == null ? new io.vertx.core.net.ClientSSLOptions()
            : new io.vertx.core.net.ClientSSLOptions().setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(sslRootCert))
                .setHostnameVerificationAlgorithm(sslMode.equals("verify-full") ? "HTTPS" : ""));
  }

  /** For logs: no credentials. */
  @Override
  public String toString() {
    return "postgresql://" + host + ":" + port + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
