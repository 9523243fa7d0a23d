package sn.wolo.analytics;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.events.KafkaSettings;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.ClientInfo;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.security.AccessTokens;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.security.Principal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;
import static sn.wolo.platform.http.Endpoint.Security.PUBLIC;

/**
 * Analytics over HTTP: event ingestion from the apps (validated per event, enriched, written with
 * group commit on this edge's event loop, acknowledged after the write), sticky A/B assignment from
 * the JVM-wide copy of the running tests that the analytics verticle maintains (no database read),
 * and the admin reports.
 */
public final class AnalyticsApi implements DomainApi {

  private static final String TAG = "analytics";
  private Vertx vertx;
  private AppContext app;
  private EventWriter writer;

  private AnalyticsSettings settings;

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    this.settings = AnalyticsSettings.from(app.config());
    this.vertx = vertx;
    this.app = app;
    KafkaProducer<String, String> kafka = KafkaSettings.bootstrap(app.config())
        .map(b -> KafkaProducer.<String, String>createShared(vertx, "wolo-analytics", KafkaSettings.producer(b, "wolo-analytics")))
        .orElse(null);
    this.writer = new EventWriter(pool, kafka, settings.writeBatchMax(), false);
    AccessTokens tokens = routes.tokens();
    var admin = Authn.roles(vertx, tokens, Principal.ADMIN, Principal.SUPER_ADMIN);

    routes.add(POST, "/v1/analytics/events", TAG, "Ingest a batch of up to 500 app events (invalid ones reported per index)", PUBLIC,
        Authn.optional(vertx, tokens)).handler(this::ingest);
    routes.add(GET, "/v1/ab-tests/:name/assignment", TAG, "My sticky variant of a running A/B test (?anonymous_id= when logged out)",
        PUBLIC, Authn.optional(vertx, tokens)).handler(this::assignment);
    routes.add(POST, "/v1/admin/ab-tests", "admin", "Create an A/B test (draft)", BEARER, admin)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AnalyticsVerticle.address("ab-create"), JsonBodies.object(ctx)), 201));
    routes.add(POST, "/v1/admin/ab-tests/:name/:action", "admin", "Start, pause or complete an A/B test", BEARER, admin)
        .handler(ctx -> {
          String status = switch (ctx.pathParam("action")) {
            case "start" -> "running";
            case "pause" -> "paused";
            case "complete" -> "completed";
            default -> throw DomainException.notFound("not_found", "Unknown action.");
          };
          JsonBodies.reply(ctx, Bus.call(vertx, AnalyticsVerticle.address("ab-status"), new JsonObject()
              .put("test_name", ctx.pathParam("name")).put("status", status)), 200);
        });
    routes.add(GET, "/v1/admin/ab-tests/:name/results", "admin", "A/B results: conversion, difference, z-test confidence, winner",
        BEARER, admin).handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AnalyticsVerticle.address("ab-results"),
            new JsonObject().put("test_name", ctx.pathParam("name"))), 200));
    routes.add(GET, "/v1/admin/metrics", "admin", "Daily business metrics (?from, ?to, ?type)", BEARER, admin)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AnalyticsVerticle.address("metrics"), range(ctx)
            .put("type", ctx.request().getParam("type"))), 200));
    routes.add(GET, "/v1/admin/funnels", "admin", "Funnel steps per day (?name=pot_creation|sponsorship_conversion, ?from, ?to)",
        BEARER, admin).handler(ctx -> {
          String name = ctx.request().getParam("name");
          if (name == null || !Funnels.STEPS.containsKey(name)) throw DomainException.invalid("invalid_funnel", "name is one of " + Funnels.STEPS.keySet());
          JsonBodies.reply(ctx, Bus.call(vertx, AnalyticsVerticle.address("funnels"), range(ctx).put("name", name)), 200);
        });
    routes.add(POST, "/v1/admin/metrics/backfill", "admin", "Recompute metrics and funnels for a date range", BEARER, admin)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AnalyticsVerticle.address("backfill"), range(JsonBodies.object(ctx))), 200));

  }

  private void ingest(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    if (!(body.getValue("events") instanceof JsonArray events)) throw DomainException.invalid("invalid_batch", "events is an array.");
    int max = settings.maxBatch();
    if (events.size() > max) throw DomainException.invalid("batch_too_large", "At most " + max + " events per batch.");
    Principal user = Authn.principalOrNull(ctx);
    EventEnricher.Origin origin = EventEnricher.origin(user == null ? null : java.util.UUID.fromString(user.userId()), ClientInfo.ip(ctx),
        ctx.request().getHeader("User-Agent"), firstHeader(ctx, "CF-IPCountry", "X-Country-Code"), firstHeader(ctx, "X-Region"));
    List<AnalyticsEvent> valid = new ArrayList<>(events.size());
    JsonArray rejected = new JsonArray();
    var now = app.clock().instant();
    long future = settings.maxFutureSeconds();
    long age = settings.maxAgeDays();
    for (int i = 0; i < events.size(); i++) {
      try {
        valid.add(EventEnricher.enrich(EventValidator.check(events.getValue(i), now, future, age), origin));
      } catch (IllegalArgumentException e) {
        rejected.add(new JsonObject().put("index", i).put("error", e.getMessage()));
      }
    }
    writer.write(valid).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      JsonBodies.send(ctx, rejected.isEmpty() ? 202 : 207, new JsonObject().put("accepted", valid.size()).put("rejected", rejected));
    });
  }

  private void assignment(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    JsonObject test = AnalyticsVerticle.runningTests(vertx).get(name);
    if (test == null) throw DomainException.notFound("test_not_found", "No running test with this name.");
    Principal user = Authn.principalOrNull(ctx);
    String anonymous = ctx.request().getParam("anonymous_id");
    if (user == null && (anonymous == null || anonymous.isBlank() || anonymous.length() > 100)) {
      throw DomainException.invalid("subject_required", "Log in or give ?anonymous_id=.");
    }
    String subject = user != null ? "u:" + user.userId() : "a:" + anonymous;
    String variant = Assignments.variant(name, test.getJsonObject("traffic_allocation"), subject);
    vertx.eventBus().send(AnalyticsVerticle.address("ab-exposure"), new JsonObject().put("test_id", test.getString("id"))
        .put("user_id", user == null ? null : user.userId()).put("anonymous_id", user == null ? anonymous : null).put("variant", variant));
    JsonBodies.send(ctx, 200, new JsonObject().put("test_name", name).put("variant", variant));
  }

  private static JsonObject range(RoutingContext ctx) {
    return range(new JsonObject().put("from", ctx.request().getParam("from")).put("to", ctx.request().getParam("to")));
  }

  private static JsonObject range(JsonObject in) {
    try {
      LocalDate from = LocalDate.parse(String.valueOf(in.getValue("from")));
      LocalDate to = LocalDate.parse(String.valueOf(in.getValue("to")));
      if (to.isBefore(from) || from.plusDays(366).isBefore(to)) throw DomainException.invalid("invalid_range", "from ≤ to, at most a year.");
      return new JsonObject().put("from", from.toString()).put("to", to.toString());
    } catch (DateTimeParseException e) {
      throw DomainException.invalid("invalid_range", "from and to are dates (YYYY-MM-DD).");
    }
  }

  private static String firstHeader(RoutingContext ctx, String... names) {
    for (String n : names) {
      String v = ctx.request().getHeader(n);
      if (v != null && !v.isBlank()) return v.trim();
    }
    return null;
  }
}
