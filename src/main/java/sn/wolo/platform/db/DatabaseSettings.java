package sn.wolo.platform.db;

import io.vertx.pgclient.PgConnectOptions;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Where the database is: parsed from {@code postgresql://user:pass@host:5432/db} (WOLO_DB_URL). */
public record DatabaseSettings(String host, int port, String database, String user, String password) {

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
    return new DatabaseSettings(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password);
  }

  public DatabaseSettings withDatabase(String name) {
    return new DatabaseSettings(host, port, name, user, password);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** URL form accepted by {@link #parse} (contains the password: never log it). */
  public String url() {
    return "postgresql://" + enc(user) + ":" + enc(password) + "@" + host + ":" + port + "/" + database;
  }

  public PgConnectOptions connectOptions() {
    return new PgConnectOptions()
        .setHost(host).setPort(port).setDatabase(database).setUser(user).setPassword(password)
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(512);
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
