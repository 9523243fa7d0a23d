package sn.wolo.testing;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import sn.wolo.WoloApp;
import sn.wolo.platform.config.WoloConfig;
import sn.wolo.platform.db.DatabaseSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** The whole server, booted as {@code java -jar} would boot it, against a fresh test database and a free port. */
public final class TestApp implements AutoCloseable {

  private final WoloApp app;
  private final int port;
  private final DatabaseSettings db;
  private final WebClient client;

  private TestApp(WoloApp app, int port, DatabaseSettings db) {
    this.app = app;
    this.port = port;
    this.db = db;
    this.client = WebClient.create(app.vertx(), new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(port));
    // Every response the tests receive is checked against the contract (openapi/wolo.yaml).
    ((io.vertx.ext.web.client.impl.WebClientInternal) client).addInterceptor(ContractCheck.load(app.vertx())::intercept);
  }

  public static TestApp start(Map<String, String> overrides, Clock clock) {
    DatabaseSettings db = overrides.containsKey("db.url")
        ? DatabaseSettings.parse(overrides.get("db.url")) : TestDatabases.migrated();
    if (overrides.containsKey("http.port")) return start(db, Integer.parseInt(overrides.get("http.port")), overrides, clock);
    // A free port is free only until something takes it: an outgoing connection's ephemeral port landed
    // on one before the server bound it (CI, once). A failed start has closed what it opened: try another.
    for (int attempt = 1; ; attempt++) {
      try {
        return start(db, freePort(), overrides, clock);
      } catch (IllegalStateException e) {
        if (attempt == 3 || e.getMessage() == null || !e.getMessage().contains("already in use")) throw e;
      }
    }
  }

  private static TestApp start(DatabaseSettings db, int port, Map<String, String> overrides, Clock clock) {
    Map<String, String> settings = new HashMap<>();
    settings.put("db.url", db.url());
    settings.put("http.port", String.valueOf(port));
    settings.put("http.host", "127.0.0.1");
    settings.put("http.instances", "2");
    settings.put("outbox.poll-ms", "50");
    settings.put("events.poll-ms", "50");
    settings.put("events.retry-base-ms", "50");
    settings.put("db.pool-size", "8");
    settings.put("security.dev-secrets-dir", "target/tmp/dev-secrets");
    settings.put("wave.simulator-port", "0");
    settings.putAll(overrides);
    WoloConfig config = WoloConfig.load(Map.of(), Map.of()).with(settings);
    return new TestApp(Await.result(WoloApp.start(config, clock), 120), port, db);
  }

  public static TestApp start() {
    return start(Map.of(), Clock.systemUTC());
  }

  private Http http;
  private Accounts accounts;
  private io.vertx.sqlclient.Pool sql;

  /** Synchronous JSON calls to this server. */
  public synchronized Http http() {
    if (http == null) http = new Http(client);
    return http;
  }

  public synchronized Accounts accounts() {
    if (accounts == null) accounts = new Accounts(http());
    return accounts;
  }

  /** Direct SQL on the test database, for assertions on what was stored. */
  public synchronized io.vertx.sqlclient.Pool sql() {
    if (sql == null) {
      sql = io.vertx.sqlclient.Pool.pool(app.vertx(), db.connectOptions(), new io.vertx.sqlclient.PoolOptions().setMaxSize(2));
    }
    return sql;
  }

  public WebClient client() {
    return client;
  }

  public Vertx vertx() {
    return app.vertx();
  }

  public sn.wolo.platform.wave.WaveSimulator wave() {
    return app.waveSimulator();
  }

  /**
   * {@code DELETE /v1/me} with {@code token}, then the erasure as it happens when the 30-day grace
   * has passed (the due date moved back in the database; the grace itself is tested with a moved clock).
   */
  public void eraseNow(String token) {
    var requested = http().delete("/v1/me", token);
    org.junit.jupiter.api.Assertions.assertEquals(202, requested.statusCode(), requested.bodyAsString());
    Await.result(sql().query("UPDATE identity.erasure_requests SET due_at = requested_at - interval '1 second' WHERE erased_at IS NULL")
        .execute());
    Await.result(sn.wolo.platform.bus.Bus.call(vertx(), "wolo.identity.erase-due", new io.vertx.core.json.JsonObject()));
  }

  public sn.wolo.platform.AppContext context() {
    return app.context();
  }

  public int port() {
    return port;
  }

  public DatabaseSettings db() {
    return db;
  }

  @Override
  public void close() {
    client.close();
    if (sql != null) Await.result(sql.close());
    Await.result(app.stop(), 60);
  }

  public static int freePort() {
    try {
      return KafkaTestBroker.freePort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
