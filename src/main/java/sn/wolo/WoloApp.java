package sn.wolo;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.config.ProfileCheck;
import sn.wolo.platform.config.WoloConfig;
import sn.wolo.platform.db.DatabaseSettings;
import sn.wolo.platform.db.EmbeddedDatabase;
import sn.wolo.platform.db.EmbeddedDatabaseSupervisor;
import sn.wolo.platform.db.Migrations;
import sn.wolo.platform.db.Pools;
import sn.wolo.platform.events.OutboxRelayVerticle;
import sn.wolo.platform.http.HttpEdgeVerticle;
import sn.wolo.platform.security.DevSecrets;
import sn.wolo.platform.wave.WaveSimulator;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A running WOLO server: config → database (embedded when none is configured) → migrations off the
 * event loop → domain verticles, outbox relay, HTTP edge. {@link #stop()} undoes it in reverse.
 */
public final class WoloApp {

  static {
    // Vert.x logs through SLF4J (and so as JSON through logback) rather than java.util.logging.
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
  }

  private static final Logger log = LoggerFactory.getLogger(WoloApp.class);

  private final Vertx vertx;
  private final AppContext app;
  /** Null when the database is external (its pool reconnects by itself). */
  private final EmbeddedDatabaseSupervisor embedded;
  private final List<String> domainDeployments = new ArrayList<>();
  private WaveSimulator simulator;
  private String relayDeployment;
  private String edgeDeployment;

  private WoloApp(Vertx vertx, AppContext app, EmbeddedDatabase embedded) {
    this.vertx = vertx;
    this.app = app;
    this.embedded = embedded == null ? null : new EmbeddedDatabaseSupervisor(vertx, embedded).start();
  }

  /** Boots everything; the future fails (and everything started is stopped) if any step fails. */
  public static Future<WoloApp> start(WoloConfig config, Clock clock) {
    ProfileCheck.verify(config);
    var registry = sn.wolo.platform.metrics.Metrics.newRegistry();
    boolean metrics = config.bool("metrics.enabled");
    CompletableFuture<WoloApp> outcome = new CompletableFuture<>();
    VertxOptions options = metrics ? sn.wolo.platform.metrics.Metrics.options() : new VertxOptions().setPreferNativeTransport(true);
    var builder = sn.wolo.platform.tracing.Tracing.apply(config,
        metrics ? sn.wolo.platform.metrics.Metrics.builder(registry) : Vertx.builder(), options);
    sn.wolo.platform.cluster.Clustering.vertx(config, builder, options)
        .onFailure(outcome::completeExceptionally)
        .onSuccess(vertx -> boot(vertx, config, clock, registry, outcome));
    return Future.fromCompletionStage(outcome);
  }

  private static void boot(Vertx vertx, WoloConfig config, Clock clock, io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry,
                           CompletableFuture<WoloApp> outcome) {
    sn.wolo.platform.bus.DomainFailure.register(vertx.eventBus());   // domains' failures cross the (clustered) bus whole
    EmbeddedDatabase[] embedded = new EmbeddedDatabase[1];
    WaveSimulator[] simulator = new WaveSimulator[1];
    // Completed from plain threads, not from a Vert.x context: on a failed start every event loop is
    // closed before the caller hears of it (a context-bound future would never tell it).
    vertx.executeBlocking(() -> {
          WoloConfig resolved = config;
          if (config.optional("db.url").isEmpty()) {
            embedded[0] = EmbeddedDatabase.start(embeddedDataDir(config));
            resolved = config.with(Map.of("db.url", embedded[0].settings().url()));
          }
          // never: a Job migrated with the schema owner's role; this role has no DDL rights (Kubernetes prod).
          if (!resolved.string("db.migrate").equals("never")) Migrations.migrate(DatabaseSettings.parse(resolved.string("db.url")));
          return DevSecrets.fillMissing(resolved, devSecretsDir(resolved));
        })
        .compose(resolved -> startWaveSimulatorIfNeeded(vertx, resolved, clock, simulator))
        .compose(resolved -> {
          // LISTEN needs a session of its own: behind a transaction-pooling PgBouncer it goes straight to PostgreSQL.
          var signals = new sn.wolo.platform.db.DatabaseSignals(vertx,
              DatabaseSettings.parse(resolved.optional("db.listen-url").orElse(resolved.string("db.url"))).connectOptions());
          WoloApp started = new WoloApp(vertx, new AppContext(resolved, clock, Pools.create(vertx, resolved), signals,
              resolved.bool("metrics.enabled") ? registry : null), embedded[0]);
          started.simulator = simulator[0];
          return started.deployAll().map(started);
        })
        .onSuccess(outcome::complete)
        .onFailure(e -> new Thread(() -> {
          awaitQuietly(vertx.close(), "Vert.x");
          if (embedded[0] != null) embedded[0].close();
          outcome.completeExceptionally(e);
        }, "wolo-start-failed").start());
  }

  /**
   * Dev profile without a Wave URL: run the Wave simulator in this process, with a per-run webhook
   * secret shared by both sides, and point the Wave client at it.
   */
  private static Future<WoloConfig> startWaveSimulatorIfNeeded(Vertx vertx, WoloConfig config, Clock clock, WaveSimulator[] holder) {
    if (!config.isDev() || config.optional("wave.base-url").isPresent()) return Future.succeededFuture(config);
    String apiKey = config.optional("wave.api-key").orElse("wave_sn_dev_simulator");
    String secret = config.optional("wave.webhook.secret").orElse("wave_sn_WHS_dev_" + sn.wolo.platform.security.Tokens.random256());
    String webhookUrl = "http://127.0.0.1:" + config.integer("http.port") + "/v1/webhooks/wave";
    WaveSimulator sim = new WaveSimulator(apiKey, secret, webhookUrl, clock);
    return sim.start(vertx, config.integer("wave.simulator-port"))
        .recover(e -> Future.failedFuture(listenFailure("the Wave simulator", "127.0.0.1", config.integer("wave.simulator-port"),
            "WOLO_WAVE_SIMULATOR_PORT", e)))
        .map(started -> {
      holder[0] = started;
      log.info("dev profile: Wave simulator at {} (payer page: the wave_launch_url of a donation)", started.baseUrl());
      return config.with(Map.of("wave.base-url", started.baseUrl(), "wave.api-key", apiKey, "wave.webhook.secret", secret,
          "wave.webhook.strategy", "signing"));
    });
  }

  /** One clear line when a server cannot listen: which port, which setting. */
  private static IllegalStateException listenFailure(String what, String host, int port, String setting, Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof java.net.BindException || String.valueOf(c.getMessage()).contains("Address already in use")) {
        return new IllegalStateException(what + " cannot listen on " + host + ":" + port
            + ": the port is already in use (another server?); set " + setting + " to a free port", e);
      }
    }
    return new IllegalStateException(what + " cannot listen on " + host + ":" + port + " (" + setting + "): " + e.getMessage(), e);
  }

  /** The in-process Wave simulator of the dev profile (null when a real Wave URL is configured). */
  public WaveSimulator waveSimulator() {
    return simulator;
  }

  private Future<?> deployAll() {
    List<Future<String>> domains = new ArrayList<>();
    for (var factory : Domains.verticlesOf(app.config().string("domains"))) {
      domains.add(vertx.deployVerticle(factory.apply(app), new DeploymentOptions()));
    }
    int instances = app.config().integer("http.instances") > 0
        ? app.config().integer("http.instances") : Runtime.getRuntime().availableProcessors();
    return Future.all(domains)
        .compose(v -> {
          domains.forEach(d -> domainDeployments.add(d.result()));
          // The domains registered their channels: one LISTEN connection serves them all.
          if (app.metrics() != null) {
            new sn.wolo.platform.metrics.BusinessGauges(app.metrics()).start(vertx, app.pool(), app.config().atLeast("metrics.refresh-ms", 1),
                app.config().atLeast("metrics.states-refresh-ms", 1));
          }
          return app.signals() == null ? Future.succeededFuture() : app.signals().start();
        })
        .compose(v -> vertx.deployVerticle(new OutboxRelayVerticle(app)))
        .compose(relay -> {
          relayDeployment = relay;
          return vertx.deployVerticle(() -> new HttpEdgeVerticle(app, () -> Domains.apis(app)),
              new DeploymentOptions().setInstances(instances).setThreadingModel(ThreadingModel.EVENT_LOOP))
              .recover(e -> Future.failedFuture(listenFailure("the HTTP server", app.config().string("http.host"),
                  app.config().integer("http.port"), "WOLO_HTTP_PORT", e)));
        })
        .onSuccess(edge -> {
          edgeDeployment = edge;
          announce(instances);
        });
  }

  private void announce(int instances) {
    var c = app.config();
    if (c.isDev()) {
      log.info("dev profile: {}", embedded != null
          ? "embedded PostgreSQL 17, data in " + embeddedDataDir(c) : "PostgreSQL at " + DatabaseSettings.parse(c.string("db.url")));
      log.info("dev profile: Kafka {}", c.optional("kafka.bootstrap").map(b -> "at " + b).orElse("not configured (events go to the event bus only)"));
    }
    log.info("WOLO listening on http://localhost:{} ({} HTTP instances, profile {})",
        c.integer("http.port"), instances, c.profile());
  }

  /**
   * Stops in dependency order: the HTTP edge first (stop accepting, drain in-flight requests), then
   * the domains (which flush what they hold in memory), then the outbox relay, then Vert.x and the
   * embedded database. Undeploying everything at once would close the pool under a domain's flush.
   */
  public Future<Void> stop() {
    // A context-free promise, completed from a plain thread: the caller must hear of the end even
    // though every Vert.x event loop is gone by then.
    Promise<Void> done = Promise.promise();
    undeployInOrder().onComplete(ar -> closeAll(done));
    return done.future();
  }

  private Future<Void> undeployInOrder() {
    Future<Void> edge = edgeDeployment == null ? Future.succeededFuture() : vertx.undeploy(edgeDeployment);
    return edge.transform(v -> {
      log.info("HTTP edge stopped{}", v.failed() ? " (" + v.cause() + ")" : "");
      List<Future<Void>> domains = new ArrayList<>();
      domainDeployments.forEach(id -> domains.add(vertx.undeploy(id)));
      return Future.join(domains).<Void>mapEmpty();
    }).transform(v -> {
      log.info("domains stopped");
      return relayDeployment == null ? Future.<Void>succeededFuture() : vertx.undeploy(relayDeployment);
    });
  }

  /**
   * Closes the pool, Vert.x and the embedded database from a plain thread: Vert.x must not be
   * closed from one of its own event loops, and pg_ctl stop blocks.
   */
  private void closeAll(Promise<Void> stopped) {
    new Thread(() -> {
      if (app.signals() != null) awaitQuietly(app.signals().stop(), "database signals");
      awaitQuietly(app.pool().close(), "database pool");
      awaitQuietly(vertx.close(), "Vert.x");
      if (embedded != null) {
        embedded.stop();
        embedded.current().close();
      }
      stopped.complete();
    }, "wolo-stop").start();
  }

  private static void awaitQuietly(Future<?> f, String what) {
    try {
      f.toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("{} did not close cleanly: {}", what, e.toString());
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  public AppContext context() {
    return app;
  }

  static Path devSecretsDir(WoloConfig config) {
    return config.optional("security.dev-secrets-dir").map(Path::of)
        .orElse(Path.of(System.getProperty("user.home"), ".wolo", "dev-secrets"));
  }

  static Path embeddedDataDir(WoloConfig config) {
    return config.optional("data.dir").map(Path::of)
        .orElse(Path.of(System.getProperty("user.home"), ".wolo", "pgdata"));
  }
}
