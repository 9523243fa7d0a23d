package sn.wolo.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.events.KafkaSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: the database answers and every domain
 * verticle replies on its health address (503 otherwise); Kafka's state is reported, not required.
 */
public final class HealthApi implements DomainApi {

  private static final long CHECK_TIMEOUT_MS = 2_000;
  private final List<String> domains;
  private KafkaAdminClient kafkaAdmin;

  public HealthApi(List<String> domains) {
    this.domains = List.copyOf(domains);
  }

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    KafkaSettings.bootstrap(app.config())
        .ifPresent(b -> kafkaAdmin = KafkaAdminClient.create(vertx, KafkaSettings.admin(b)));
    routes.add(HttpMethod.GET, "/health/live", "platform", "Liveness: the process is up", Endpoint.Security.PUBLIC,
        ctx -> JsonBodies.send(ctx, 200, new JsonObject().put("status", "UP")));
    routes.add(HttpMethod.GET, "/health/ready", "platform", "Readiness: database, Kafka and domains answer",
        Endpoint.Security.PUBLIC, ctx -> ready(ctx, vertx, pool));
  }

  private void ready(RoutingContext ctx, Vertx vertx, Pool pool) {
    Map<String, Future<JsonObject>> checks = new LinkedHashMap<>();
    checks.put("database", pool.query("SELECT 1").execute()
        .timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS).map(r -> up()));
    if (kafkaAdmin != null) {
      checks.put("kafka", kafkaAdmin.describeCluster()
          .timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .map(c -> up().put("brokers", c.getNodes().size())));
    }
    var opts = new DeliveryOptions().setSendTimeout(CHECK_TIMEOUT_MS);
    for (String domain : domains) {
      checks.put(domain, vertx.eventBus().<JsonObject>request(Addresses.health(domain), new JsonObject(), opts)
          .map(m -> m.body()));
    }
    List<Future<JsonObject>> all = new ArrayList<>(checks.values());
    Future.join(all).onComplete(done -> {
      JsonObject details = new JsonObject();
      boolean ok = true;
      for (var e : checks.entrySet()) {
        Future<JsonObject> f = e.getValue();
        JsonObject result = f.succeeded() ? f.result() : new JsonObject().put("status", "DOWN")
            .put("reason", f.cause().getClass().getSimpleName());
        // Kafka is reported but does not fail readiness: the outbox holds events while it is away.
        ok &= e.getKey().equals("kafka") || "UP".equals(result.getString("status"));
        details.put(e.getKey(), result);
      }
      JsonBodies.send(ctx, ok ? 200 : 503, new JsonObject().put("status", ok ? "UP" : "DOWN").put("checks", details));
    });
  }

  @Override
  public Future<Void> close() {
    return kafkaAdmin == null ? Future.succeededFuture() : kafkaAdmin.close();
  }

  private static JsonObject up() {
    return new JsonObject().put("status", "UP");
  }
}
