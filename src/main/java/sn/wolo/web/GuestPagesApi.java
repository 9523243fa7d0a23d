package sn.wolo.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import sn.wolo.donation.api.DonationRequest;
import sn.wolo.donation.api.DonationStatus;
import sn.wolo.donation.api.Donations;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.bus.DomainFailure;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.ClientInfo;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.HttpStatuses;
import sn.wolo.pot.api.Pots;
import sn.wolo.pot.api.PublicPotPage;

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
  private static final java.util.regex.Pattern SHARE_TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{10,100}");
  private static final java.util.regex.Pattern WHOLE_FRANCS = java.util.regex.Pattern.compile("\\d{1,9}");
  /** Inline styles only; images from https; nothing else loads, nothing frames the page. */
  private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; frame-ancestors 'none'";
  private static final NumberFormat FRANCS = NumberFormat.getIntegerInstance(Locale.FRANCE);
  private static final java.time.format.DateTimeFormatter BIRTHDAY = java.time.format.DateTimeFormatter.ofPattern("d MMMM", Locale.FRENCH);

  private Vertx vertx;
  private Pots pots;
  private Donations donations;
  private Future<HtmlTemplates> templates;
  private String baseUrl;
  private int min;
  private int max;

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    GuestPageSettings settings = GuestPageSettings.from(app.config());
    this.vertx = vertx;
    this.pots = TypedBus.proxy(vertx, Pots.class);
    this.donations = TypedBus.proxy(vertx, Donations.class);
    this.templates = HtmlTemplates.load(vertx);
    this.baseUrl = settings.publicBaseUrl();
    this.min = settings.minCfa();
    this.max = settings.maxCfa();
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
    if (potId == null || (token != null && !SHARE_TOKEN.matcher(token).matches())) {
      notFound(ctx);
      return;
    }
    pots.publicPage(potId, token, null, 20).onComplete(ar -> {
      if (ar.failed()) {
        if (DomainFailure.of(ar.cause()).filter(d -> d.kind() == ErrorKind.NOT_FOUND).isPresent()) notFound(ctx);
        else ctx.fail(ar.cause());
        return;
      }
      PublicPotPage pot = ar.result();
      PublicPotPage.Progress progress = pot.progress();
      Map<String, Object> scope = new HashMap<>();
      scope.put("id", potId.toString());
      scope.put("token", token);
      scope.put("title", pot.title());
      scope.put("description", pot.description());
      scope.put("owner", pot.ownerDisplayName());
      scope.put("birthday", pot.birthdayDate().format(BIRTHDAY));
      String cover = pot.coverImageUrl();
      scope.put("cover", cover != null && cover.startsWith("https://") ? cover : null);
      scope.put("url", baseUrl + "/p/" + potId);
      scope.put("raised", FRANCS.format(progress.raisedCfa()));
      scope.put("target", FRANCS.format(progress.targetAmountCfa()));
      scope.put("percent", progress.percent());
      scope.put("donor_count", progress.donorCount());
      scope.put("accepting", pot.status().takesDonations());
      scope.put("allow_anonymous", pot.allowAnonymousDonations());
      scope.put("messages", pot.enableMessages());
      scope.put("min", min);
      scope.put("max", max);
      scope.put("error", error);
      List<Map<String, Object>> donors = new ArrayList<>();
      pot.donors().forEach(d -> {
        Map<String, Object> row = new HashMap<>();
        row.put("name", d.name() == null ? "Un proche" : d.name());
        row.put("amount", d.amountCfa() == null ? null : FRANCS.format(d.amountCfa()));
        row.put("message", d.message());
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
    if (chosen == null || !WHOLE_FRANCS.matcher(chosen).matches()) {
      potPage(ctx, "Choisissez un montant en francs CFA (sans décimales).", 400);
      return;
    }
    JsonObject donation = new JsonObject().put("amount_cfa", Long.parseLong(chosen))
        .put("donor_name", blankToNull(form.get("donor_name"))).put("message", blankToNull(form.get("message")))
        .put("is_anonymous", "true".equals(form.get("is_anonymous"))).put("show_amount", !"true".equals(form.get("hide_amount")));
    DonationRequest request = new DonationRequest(potId, donation.getMap(), ctx.request().getParam("t"), null, ClientInfo.ip(ctx),
        ctx.request().getHeader("User-Agent"));
    donations.create(request).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(303).putHeader("Location", ar.result().waveLaunchUrl()).end();
      } else if (DomainFailure.of(ar.cause()).filter(d -> HttpStatuses.of(d.kind()) < 500).isPresent()) {
        DomainException refused = DomainFailure.of(ar.cause()).get();
        potPage(ctx, "Votre participation n'a pas pu être enregistrée : " + refused.getMessage(), refused.kind() == ErrorKind.NOT_FOUND ? 404 : 400);
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
    donations.get(id).onComplete(ar -> {
      if (ar.failed()) {
        notFound(ctx);
        return;
      }
      DonationStatus d = ar.result();
      String status = d.status();
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
      scope.put("amount", FRANCS.format(d.amountCfa()));
      scope.put("pot_url", "/p/" + d.potId());
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
