package sn.wolo.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import sn.wolo.platform.db.DatabaseSettings;
import sn.wolo.platform.wave.WaveSignature;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The conventional design issue 18 measures WOLO against, built here so that both run in the same
 * run on the same machine: a thread per request (256 threads, like a Tomcat pool) and blocking JDBC
 * from a pool of connections; each delivery is one transaction that stores the event, settles its
 * donation and credits the pot before answering. It verifies the signature as WOLO does and
 * dedupes on the event id; it sends no notifications, analytics or points.
 *
 * <p>Run in a JVM of its own as WOLO is ({@link ServerProcess}): {@code ConventionalPeer THREADS POOL}
 * with WOLO_DB_URL, WOLO_HTTP_PORT and WOLO_WAVE_WEBHOOK_SECRET in its environment.
 */
final class ConventionalPeer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService threads;
  private final BlockingQueue<Connection> connections;

  private ConventionalPeer(HttpServer server, ExecutorService threads, BlockingQueue<Connection> connections) {
    this.server = server;
    this.threads = threads;
    this.connections = connections;
  }

  public static void main(String[] args) throws Exception {
    start(DatabaseSettings.parse(System.getenv("WOLO_DB_URL")), System.getenv("WOLO_WAVE_WEBHOOK_SECRET"),
        Integer.parseInt(System.getenv("WOLO_HTTP_PORT")), Integer.parseInt(args[0]), Integer.parseInt(args[1]));
    // its threads keep the JVM running until the benchmark stops it (SIGTERM)
  }

  static ConventionalPeer start(DatabaseSettings db, String secret, int port, int threadCount, int poolSize) throws IOException, SQLException {
    // The JDK server keeps 200 idle keep-alive connections by default and closes the others: the
    // load's 256 connections must all stay open, as they would with Tomcat.
    System.setProperty("sun.net.httpserver.maxIdleConnections", "1024");
    System.setProperty("sun.net.httpserver.nodelay", "true");
    BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(poolSize);
    for (int i = 0; i < poolSize; i++) {
      Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
      c.setAutoCommit(false);
      pool.add(c);
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    ExecutorService threads = Executors.newFixedThreadPool(threadCount);
    ConventionalPeer peer = new ConventionalPeer(server, threads, pool);
    server.setExecutor(threads);
    server.createContext("/v1/webhooks/wave", exchange -> peer.handle(exchange, secret));
    server.createContext("/health/ready", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    return peer;
  }

  private void handle(HttpExchange exchange, String secret) throws IOException {
    int status;
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readAllBytes();
      String signature = exchange.getRequestHeaders().getFirst("Wave-Signature");
      status = !WaveSignature.verify(signature, body, secret, System.currentTimeMillis() / 1000, 300) ? 401 : settle(new JsonObject(new String(body,
          java.nio.charset.StandardCharsets.UTF_8)));
    } catch (RuntimeException | SQLException | InterruptedException e) {
      status = 500;
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  /** Store, settle and credit in one transaction; a duplicate event id changes nothing. */
  private int settle(JsonObject event) throws SQLException, InterruptedException {
    Connection c = connections.take();
    try {
      JsonObject data = event.getJsonObject("data");
      try (PreparedStatement store = c.prepareStatement("INSERT INTO donations.wave_webhook_events (wave_event_id, event_type, raw_payload)"
          + " VALUES (?, ?, ?::jsonb) ON CONFLICT (wave_event_id) DO NOTHING")) {
        store.setString(1, event.getString("id"));
        store.setString(2, event.getString("type"));
        store.setString(3, event.encode());
        if (store.executeUpdate() == 0) {
          c.commit();
          return 200;
        }
      }
      String donation = data.getString("client_reference");
      String pot = null;
      long amount = 0;
      try (PreparedStatement lock = c.prepareStatement("SELECT pot_id, amount_cfa, status FROM donations.donations WHERE id = ?::uuid FOR UPDATE")) {
        lock.setString(1, donation);
        try (ResultSet rs = lock.executeQuery()) {
          if (rs.next() && "pending".equals(rs.getString(3)) && rs.getLong(2) == Long.parseLong(data.getString("amount"))) {
            pot = rs.getString(1);
            amount = rs.getLong(2);
          }
        }
      }
      if (pot != null) {
        try (PreparedStatement paid = c.prepareStatement("UPDATE donations.donations SET status = 'succeeded', confirmed_at = now(),"
            + " wave_transaction_id = ? WHERE id = ?::uuid");
             PreparedStatement credit = c.prepareStatement("UPDATE pots.pots SET raised_cfa = raised_cfa + ?,"
                 + " succeeded_donations = succeeded_donations + 1 WHERE id = ?::uuid")) {
          paid.setString(1, data.getString("transaction_id"));
          paid.setString(2, donation);
          paid.executeUpdate();
          credit.setLong(1, amount);
          credit.setString(2, pot);
          credit.executeUpdate();
        }
      }
      try (PreparedStatement done = c.prepareStatement("UPDATE donations.wave_webhook_events SET processed_at = now(), donation_id = ?::uuid"
          + " WHERE wave_event_id = ?")) {
        done.setString(1, pot == null ? null : donation);
        done.setString(2, event.getString("id"));
        done.executeUpdate();
      }
      c.commit();
      return 200;
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      connections.add(c);
    }
  }

  @Override
  public void close() throws Exception {
    server.stop(0);
    threads.shutdown();
    threads.awaitTermination(10, TimeUnit.SECONDS);
    for (Connection c : connections) c.close();
  }
}
