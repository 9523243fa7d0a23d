package sn.wolo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.config.WoloConfig;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** Entry point: {@code java -jar target/wolo.jar}. Configuration comes from conf/application.yaml and WOLO_* variables. */
public final class Wolo {

  private static final Logger log = LoggerFactory.getLogger(Wolo.class);

  private Wolo() {
  }

  public static void main(String[] args) throws Exception {
    WoloConfig.unknownOverrides(System.getenv())
        .forEach(name -> log.warn("environment variable {} is not a WOLO setting; ignored", name));
    WoloConfig config;
    try {
      config = WoloConfig.load();
    } catch (IllegalArgumentException e) {
      log.error("invalid configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    if (config.string("db.migrate").equals("only")) {
      // The Kubernetes migration Job: the schema owner's role migrates, then the job ends.
      try {
        sn.wolo.platform.db.Migrations.migrate(sn.wolo.platform.db.DatabaseSettings.parse(config.string("db.url")));
        log.info("migrations applied; exiting (WOLO_DB_MIGRATE=only)");
        System.exit(0);
      } catch (RuntimeException e) {
        log.error("migration failed: {}", e.getMessage());
        System.exit(1);
      }
      return;
    }
    WoloApp app;
    try {
      app = WoloApp.start(config, Clock.systemUTC()).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      log.error("startup failed: {}", cause.getMessage());
      System.exit(1);
      return;
    }
    // SIGTERM / Ctrl-C: graceful stop (the HTTP edge drains in-flight requests first).
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      try {
        app.stop().toCompletionStage().toCompletableFuture()
            .get(config.integer("http.shutdown-grace-seconds") + 15L, TimeUnit.SECONDS);
        log.info("stopped");
      } catch (Exception e) {
        log.warn("shutdown did not complete cleanly: {}", e.toString());
      }
    }, "wolo-shutdown"));
  }
}
