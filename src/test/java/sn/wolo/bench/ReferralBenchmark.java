package sn.wolo.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;
import sn.wolo.WoloApp;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.config.WoloConfig;
import sn.wolo.referral.ReferralVerticle;
import sn.wolo.testing.Await;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N sponsors each send 50 invitations in one request (the domain's send: contact checks, the daily
 * limit's conditional increment, 50 inserts and 50 outbox events in one transaction), C sends at a
 * time over the event bus; then, as the ceiling, a bare multi-row INSERT of the same number of
 * invitation rows into the same table. Prints invitations/s, send p50/p99 and the ratio.
 *
 * <p>Run: {@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=sn.wolo.bench.ReferralBenchmark [-Dexec.args="2000 32"]}
 */
public final class ReferralBenchmark {

  public static void main(String[] args) throws Exception {
    int sponsors = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    if (sponsors > 100_000) throw new IllegalArgumentException("at most 100,000 sponsors (phone numbers run out)");
    ((Logger) LoggerFactory.getLogger("sn.wolo")).setLevel(Level.WARN);
    System.out.printf("referral benchmark: %,d sponsors × 50 invitations, %d sends at a time; machine: %s%n", sponsors, concurrency,
        BenchDatabase.machine());
    try (BenchDatabase db = BenchDatabase.start()) {
      List<UUID> ids = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(db.settings.jdbcUrl(), db.settings.user(), db.settings.password());
           var st = c.createStatement();
           var rs = st.executeQuery("INSERT INTO identity.users (phone, auth_provider) SELECT '+22170' || lpad(i::text, 7, '0'), 'phone' "
               + "FROM generate_series(1, " + sponsors + ") i RETURNING id")) {
        while (rs.next()) ids.add(UUID.fromString(rs.getString(1)));
      }
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      WoloConfig config = WoloConfig.load(Map.of(), Map.of()).with(Map.of("db.url", db.settings.url(), "http.port", String.valueOf(port),
          "http.host", "127.0.0.1", "wave.simulator-port", "0", "security.dev-secrets-dir", "target/tmp/dev-secrets", "db.pool-size", "16"));
      WoloApp app = Await.result(WoloApp.start(config, Clock.systemUTC()), 120);
      long[] latencies = new long[sponsors];
      AtomicInteger next = new AtomicInteger();
      AtomicInteger done = new AtomicInteger();
      AtomicInteger sent = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      Promise<Void> finished = Promise.promise();
      long deadline = System.nanoTime() + 900_000_000_000L;
      Runnable[] worker = new Runnable[1];
      worker[0] = () -> {
        int i = next.getAndIncrement();
        if (i >= sponsors || System.nanoTime() > deadline) {
          if (done.get() >= Math.min(next.get(), sponsors)) finished.tryComplete();
          return;
        }
        JsonArray contacts = new JsonArray();
        for (int j = 0; j < 50; j++) contacts.add(new JsonObject().put("name", "Ami " + j).put("phone", String.format("+22177%07d", i * 50 + j)));
        long t0 = System.nanoTime();
        Future<JsonObject> r = Bus.call(app.vertx(), ReferralVerticle.address("send"), new JsonObject().put("user_id", ids.get(i).toString())
            .put("invitation", new JsonObject().put("contacts", contacts).put("channel", "sms")));
        r.onComplete(ar -> {
          latencies[i] = System.nanoTime() - t0;
          if (ar.succeeded()) sent.addAndGet(ar.result().getJsonArray("sent").size());
          else failed.incrementAndGet();
          if (done.incrementAndGet() >= sponsors) finished.tryComplete();
          worker[0].run();
        });
      };
      long start = System.nanoTime();
      app.vertx().runOnContext(v -> {
        for (int c = 0; c < concurrency; c++) worker[0].run();
      });
      Await.result(finished.future(), 1000);
      double seconds = (System.nanoTime() - start) / 1e9;
      int count = Math.min(done.get(), sponsors);
      long[] l = Arrays.copyOf(latencies, count);
      Arrays.sort(l);
      double perSecond = sent.get() / seconds;
      System.out.printf("send:     %,d invitations in %.1f s = %,.0f invitations/s (%,.0f sends/s), p50 %.1f ms, p99 %.1f ms, failed sends %d%n",
          sent.get(), seconds, perSecond, count / seconds, l[l.length / 2] / 1e6,
          l[(int) Math.min(l.length - 1, Math.ceil(l.length * 0.99) - 1)] / 1e6, failed.get());
      Await.result(app.stop(), 120);

      // Ceiling: the same number of invitation rows by bare multi-row INSERTs of 50, no checks, no events.
      try (Connection c = DriverManager.getConnection(db.settings.jdbcUrl(), db.settings.user(), db.settings.password());
           var ps = c.prepareStatement("""
               INSERT INTO referrals.referrals (sponsor_user_id, referral_code, invited_phone, invited_name, status)
               SELECT $1::uuid, 'B' || md5(random()::text || g)::varchar(18), '+22176' || lpad((? * 50 + g)::text, 7, '0'), 'Ami', 'sent'
               FROM generate_series(1, 50) g""".replace("$1::uuid", "?::uuid"))) {
        long c0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
          ps.setString(1, ids.get(i).toString());
          ps.setInt(2, i);
          ps.executeUpdate();
        }
        double bare = (System.nanoTime() - c0) / 1e9;
        System.out.printf("ceiling:  %,d rows by bare INSERTs of 50 (one transaction each) in %.1f s = %,.0f rows/s%n", count * 50, bare, count * 50 / bare);
        System.out.printf("ratio:    the checked, limited, evented send reaches %.0f %% of the bare INSERT%n", 100 * perSecond / (count * 50 / bare));
      }
    }
  }
}
