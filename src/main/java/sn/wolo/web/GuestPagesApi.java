package sn.wolo.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import sn.wolo.donation.DonationVerticle;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.bus.DomainFailure;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.ClientInfo;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.pot.PotVerticle;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static sn.wolo.platform.http.Endpoint.Security.PUBLIC;

/**
 * The web pages a share link opens, for guests who have no app: the pot's page with a donation
 * form ({@code /p/{id}?t=}), the form's POST that creates the donation and redirects to Wave, and
 * the pages Wave sends the payer back to ({@code /donation/success|error?donation=}), which show the
 * donation's real state (refreshing while it is pending). Server-rendered French HTML, no script,
 * no third-party request; the same pot and donation rules as the API (they are its bus calls).
 */
public final class GuestPagesApi implements DomainApi {

  private static final String TAG = "web";
  /** Inline styles only; images from https; nothing else loads, nothing frames the page. */
  private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; frame-ancestors 'none'";
  private static final NumberFormat FRANCS = NumberFormat.getIntegerInstance(Locale.FRANCE);
  private static final java.time.format.DateTimeFormatter BIRTHDAY = java.time.format.DateTimeFormatter.ofPattern("d MMMM", Locale.FRENCH);

  private Vertx vertx;
  private Future<HtmlTemplates> templates;
  private String baseUrl;
  private int min;
  private int max;

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    this.vertx = vertx;
    this.templates = HtmlTemplates.load(vertx);
    this.baseUrl = app.config().string("public.base-url");
    this.min = app.config().integer("donation.min-cfa");
    this.max = app.config().integer("donation.max-cfa");
    routes.add(GET, "/p/:id", TAG, "The pot's web page for guests (?t=share token for private pots): progress, donors, donation form (HTML)",
        PUBLIC, ctx -> potPage(ctx, null, 200));
    routes.add(POST, "/p/:id/donations", TAG, "The web page's donation form (form-urlencoded): creates the donation, 303 to Wave (HTML)",
        PUBLIC, this::give);
    routes.add(GET, "/donation/success", TAG, "Where Wave sends a payer back (?donation=): the donation's real state (HTML)", PUBLIC,
        ctx -> donationPage(ctx));
    routes.add(GET, "/donation/error", TAG, "Where Wave sends a payer whose payment failed (?donation=) (HTML)", PUBLIC,
        ctx -> donationPage(ctx));
  }

  private void potPage(RoutingContext ctx, String error, int status) {
    UUID potId = uuid(ctx.pathParam("id"));
    String token = ctx.request().getParam("t");
    if (potId == null || (token != null && !token.matches("[A-Za-z0-9_-]{10,100}"))) {
      notFound(ctx);
      return;
    }
    JsonObject req = new JsonObject().put("pot_id", potId.toString()).put("token", token).put("page", 0).put("size", 20);
    Bus.call(vertx, PotVerticle.address("public-page"), req).onComplete(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof ReplyException r && r.failureCode() == 404) notFound(ctx);
        else ctx.fail(ar.cause());
        return;
      }
      JsonObject pot = ar.result();
      JsonObject progress = pot.getJsonObject("progress");
      Map<String, Object> scope = new HashMap<>();
      scope.put("id", potId.toString());
      scope.put("token", token);
      scope.put("title", pot.getString("title"));
      scope.put("description", pot.getString("description"));
      scope.put("owner", pot.getString("owner_display_name"));
      scope.put("birthday", java.time.LocalDate.parse(pot.getString("birthday_date")).format(BIRTHDAY));
      String cover = pot.getString("cover_image_url");
      scope.put("cover", cover != null && cover.startsWith("https://") ? cover : null);
      scope.put("url", baseUrl + "/p/" + potId);
      scope.put("raised", FRANCS.format(progress.getLong("raised_cfa")));
      scope.put("target", FRANCS.format(progress.getLong("target_amount_cfa")));
      scope.put("percent", progress.getInteger("percent"));
      scope.put("donor_count", progress.getLong("donors"));
      scope.put("accepting", "open".equals(pot.getString("status")) || "funded".equals(pot.getString("status")));
      scope.put("allow_anonymous", pot.getBoolean("allow_anonymous_donations"));
      scope.put("messages", pot.getBoolean("enable_messages"));
      scope.put("min", min);
      scope.put("max", max);
      scope.put("error", error);
      List<Map<String, Object>> donors = new ArrayList<>();
      pot.getJsonArray("donors").forEach(o -> {
        JsonObject d = (JsonObject) o;
        Map<String, Object> row = new HashMap<>();
        row.put("name", d.getString("name") == null ? "Un proche" : d.getString("name"));
        row.put("amount", d.getLong("amount_cfa") == null ? null : FRANCS.format(d.getLong("amount_cfa")));
        row.put("message", d.getString("message"));
        donors.add(row);
      });
      scope.put("donors", donors);
      html(ctx, status, "pot", scope);
    });
  }

  /** The form: a preset or a typed amount, a name or anonymity, a message, the amount hidden or not. */
  private void give(RoutingContext ctx) {
    UUID potId = uuid(ctx.pathParam("id"));
    if (potId == null) {
      notFound(ctx);
      return;
    }
    var form = ctx.request().formAttributes();
    String typed = form.get("amount_cfa");
    String chosen = typed != null && !typed.isBlank() ? typed.trim() : form.get("preset");
    if (chosen == null || !chosen.matches("\\d{1,9}")) {
      potPage(ctx, "Choisissez un montant en francs CFA (sans décimales).", 400);
      return;
    }
    JsonObject donation = new JsonObject().put("amount_cfa", Long.parseLong(chosen))
        .put("donor_name", blankToNull(form.get("donor_name"))).put("message", blankToNull(form.get("message")))
        .put("is_anonymous", "true".equals(form.get("is_anonymous"))).put("show_amount", !"true".equals(form.get("hide_amount")));
    JsonObject req = ClientInfo.addTo(ctx, new JsonObject().put("pot_id", potId.toString()).put("donation", donation)
        .put("invitation_token", ctx.request().getParam("t")));
    Bus.call(vertx, DonationVerticle.address("create"), req).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(303).putHeader("Location", ar.result().getString("wave_launch_url")).end();
      } else if (ar.cause() instanceof ReplyException r && r.failureCode() < 500) {
        potPage(ctx, "Votre participation n'a pas pu être enregistrée : " + DomainFailure.parse(r).message(), r.failureCode() == 404 ? 404 : 400);
      } else {
        potPage(ctx, "Le paiement est momentanément indisponible ; réessayez dans un instant.", 503);
      }
    });
  }

  private void donationPage(RoutingContext ctx) {
    UUID id = uuid(ctx.request().getParam("donation"));
    if (id == null) {
      notFound(ctx);
      return;
    }
    Bus.call(vertx, DonationVerticle.address("get"), new JsonObject().put("donation_id", id.toString())).onComplete(ar -> {
      if (ar.failed()) {
        notFound(ctx);
        return;
      }
      JsonObject d = ar.result();
      String status = d.getString("status");
      Map<String, Object> scope = new HashMap<>();
      boolean pending = "pending".equals(status) || "processing".equals(status);
      scope.put("pending", pending);
      scope.put("status", status);
      scope.put("title", "succeeded".equals(status) ? "Merci !" : pending ? "Paiement en cours…" : "Paiement non abouti");
      scope.put("message", switch (status) {
        case "succeeded" -> "Votre participation est bien arrivée dans la cagnotte. Merci !";
        case "pending", "processing" -> "Nous attendons la confirmation de Wave ; cette page se met à jour toute seule.";
        case "refunded" -> "Cette participation a été remboursée.";
        default -> "Le paiement n'a pas abouti. Aucun franc n'a été pris ; vous pouvez réessayer depuis la cagnotte.";
      });
      scope.put("css", "succeeded".equals(status) ? "ok" : pending ? "card" : "error");
      scope.put("amount", FRANCS.format(d.getLong("amount_cfa")));
      scope.put("pot_url", "/p/" + d.getString("pot_id"));
      html(ctx, 200, "donation", scope);
    });
  }

  private void notFound(RoutingContext ctx) {
    html(ctx, 404, "not-found", Map.of("title", "Cagnotte introuvable"));
  }

  private void html(RoutingContext ctx, int status, String template, Map<String, Object> scope) {
    templates.onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Content-Security-Policy", CSP).putHeader("Cache-Control", "no-store")
          .end(ar.result().render(template, scope));
    });
  }

  private static UUID uuid(String s) {
    try {
      return s == null || s.length() != 36 ? null : UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
