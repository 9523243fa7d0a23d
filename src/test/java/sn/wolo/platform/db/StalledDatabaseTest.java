package sn.wolo.platform.db;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import sn.wolo.testing.Await;
import sn.wolo.testing.Eventually;
import sn.wolo.testing.StallingProxy;
import sn.wolo.testing.TestApp;
import sn.wolo.testing.TestDatabases;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stalled database (connections accepted, queries never answered): requests answer 503 within
 * the configured request timeout instead of hanging, readiness says DOWN, no event loop is ever
 * blocked (a Vert.x blocked-thread warning fails the test), and service resumes with the database.
 */
class StalledDatabaseTest {

  @Test
  void requestsAnswer503InTimeAndServiceResumesWithoutBlockingAnEventLoop() {
    var db = TestDatabases.migrated();
    ListAppender<ILoggingEvent> blocked = new ListAppender<>();
    blocked.start();
    Logger checker = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    checker.addAppender(blocked);
    try (StallingProxy proxy = StallingProxy.start(db.host(), db.port())) {
      String proxied = "postgresql://" + db.user() + ":" + db.password() + "@127.0.0.1:" + proxy.port() + "/" + db.database();
      try (TestApp app = TestApp.start(Map.of("db.url", proxied, "http.request-timeout-ms", "3000", "db.acquire-timeout-ms", "2000"),
          java.time.Clock.systemUTC())) {
        String token = app.accounts().otpLogin("+221770789001").getString("access_token");
        assertEquals(404, app.http().get("/v1/me/profile", token).statusCode(), "works before the stall (no profile yet)");

        proxy.stall();
        long start = System.nanoTime();
        List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          calls.add(app.client().get("/v1/me/profile").putHeader("Authorization", "Bearer " + token).send());
        }
        Await.result(Future.join(new ArrayList<>(calls)), 30);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        calls.forEach(c -> assertEquals(503, c.result().statusCode(), c.result().bodyAsString()));
        assertTrue(elapsedMs < 6_000, "answered within the 3 s request timeout (+ margin): " + elapsedMs + " ms");
        assertEquals(503, app.http().get("/health/ready", null).statusCode(), "readiness reports the stalled database");

        proxy.resume();
        Eventually.until("served again", () -> app.http().get("/v1/me/profile", token).statusCode() == 404);
        Eventually.until("ready again", () -> app.http().get("/health/ready", null).statusCode() == 200);
      }
    } finally {
      checker.detachAppender(blocked);
    }
    List<String> warnings;
    synchronized (blocked) {   // AppenderBase.doAppend locks the appender: a consistent snapshot
      blocked.stop();
      warnings = blocked.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
    assertEquals(List.of(), warnings, "no event loop blocked");
  }
}
