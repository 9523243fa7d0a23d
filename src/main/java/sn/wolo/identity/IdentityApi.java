package sn.wolo.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import sn.wolo.Domains;
import sn.wolo.identity.api.Accounts;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.audit.AdminReads;
import sn.wolo.platform.audit.AuditContext;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.bus.ContractJson;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.ClientInfo;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.http.PathParams;
import sn.wolo.platform.http.SharedRateLimit;
import sn.wolo.platform.security.AccessTokens;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.security.Principal;
import sn.wolo.profile.api.ProfileDraft;
import sn.wolo.profile.api.Profiles;

import java.util.List;
import java.util.UUID;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;
import static sn.wolo.platform.http.Endpoint.Security.PUBLIC;

/** HTTP routes of identity: /v1/auth/* (sign-up, login, tokens) and the account-level /v1/me routes. */
public final class IdentityApi implements DomainApi {

  private static final String TAG = "identity";
  private Vertx vertx;
  private Profiles profiles;
  private Accounts accounts;

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    this.vertx = vertx;
    this.profiles = TypedBus.proxy(vertx, Profiles.class);
    this.accounts = TypedBus.proxy(vertx, Accounts.class);
    AccessTokens tokens = routes.tokens();
    // Per client IP across every instance: N instances must not multiply the sign-in limit.
    SharedRateLimit limit = new SharedRateLimit(pool, "auth", IdentitySettings.from(app.config()).authRateLimitPerMinute(), app.clock());
    var auth = Authn.required(vertx, tokens);

    routes.add(POST, "/v1/auth/otp/request", TAG, "Send a 6-digit login code by SMS", PUBLIC,
        limit).handler(ctx -> forward(ctx, "otp-request", withClient(ctx), 202));
    routes.add(POST, "/v1/auth/otp/verify", TAG, "Exchange a login code for tokens (creates the account)", PUBLIC,
        limit).handler(ctx -> forward(ctx, "otp-verify", withClient(ctx), 200));
    routes.add(POST, "/v1/auth/register", TAG, "Create an email account with its profile", PUBLIC,
        limit).handler(this::register);
    routes.add(POST, "/v1/auth/login", TAG, "Email and password login", PUBLIC,
        limit).handler(ctx -> forward(ctx, "login", withClient(ctx), 200));
    routes.add(POST, "/v1/auth/refresh", TAG, "Rotate a refresh token", PUBLIC,
        limit).handler(ctx -> forward(ctx, "refresh", withClient(ctx), 200));
    routes.add(POST, "/v1/auth/password/forgot", TAG, "Email a single-use reset token", PUBLIC,
        limit).handler(ctx -> forward(ctx, "password-forgot", JsonBodies.object(ctx), 202));
    routes.add(POST, "/v1/auth/password/reset", TAG, "Set a new password with a reset token", PUBLIC,
        limit).handler(ctx -> forward(ctx, "password-reset", JsonBodies.object(ctx), 204));
    routes.add(POST, "/v1/auth/oauth/:provider", TAG, "Google/Facebook sign-in: not available (501)", PUBLIC,
        ctx -> {
          String provider = ctx.pathParam("provider");
          if (!provider.equals("google") && !provider.equals("facebook")) throw DomainException.notFound("provider_not_found", "No such sign-in provider.");
          throw new DomainException(ErrorKind.NOT_IMPLEMENTED, "provider_not_supported",
              "Sign-in with " + provider + " is not available: ID tokens cannot be verified offline yet.");
        });
    routes.add(POST, "/v1/auth/logout", TAG, "Sign out this session", BEARER, auth)
        .handler(ctx -> forward(ctx, "logout", new JsonObject().put("session_id", Authn.principal(ctx).sessionId()), 204));
    routes.add(POST, "/v1/auth/logout-all", TAG, "Sign out every session of the account", BEARER, auth)
        .handler(ctx -> forward(ctx, "logout-all", self(ctx), 200));
    routes.add(GET, "/v1/me/sessions", TAG, "Active sessions of the account", BEARER, auth)
        .handler(ctx -> forward(ctx, "sessions", self(ctx).put("session_id", Authn.principal(ctx).sessionId()), 200));
    routes.add(PUT, "/v1/me/consent", TAG, "Record or withdraw marketing consent", BEARER, auth)
        .handler(ctx -> {
          Object consent = JsonBodies.object(ctx).getValue("marketing_consent");
          if (!(consent instanceof Boolean given)) throw DomainException.invalid("invalid_marketing_consent", "marketing_consent is true or false.");
          forward(ctx, "consent", self(ctx).put("marketing_consent", given), 204);
        });
    routes.add(GET, "/v1/me/export", TAG, "All personal data of the account, from every domain (GDPR)", BEARER, auth)
        .handler(this::export);
    var admins = Authn.roles(vertx, routes.tokens(), Principal.ADMIN, Principal.SUPER_ADMIN);
    routes.add(POST, "/v1/admin/users/:id/suspend", "admin", "Suspend an account: it cannot sign in and its sessions end at once", BEARER, admins)
        .handler(ctx -> setActive(ctx, false));
    routes.add(POST, "/v1/admin/users/:id/reactivate", "admin", "Reactivate a suspended account", BEARER, admins)
        .handler(ctx -> setActive(ctx, true));
    routes.add(PUT, "/v1/admin/users/:id/roles", "admin", "Set an account's roles (super_admin; its sessions end at once)", BEARER,
        Authn.roles(vertx, routes.tokens(), Principal.SUPER_ADMIN)).handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx,
            IdentityVerticle.address("set-roles"), AuditContext.of(ctx).addTo(new JsonObject()
                .put("user_id", PathParams.uuid(ctx, "id", "user_not_found").toString())
                .put("admin_id", Authn.principal(ctx).userId()).put("roles", JsonBodies.object(ctx).getValue("roles")))), 200));
    routes.add(GET, "/v1/me", TAG, "Who I am: account (phone, e-mail, roles) and profile (null until made)", BEARER, auth)
        .handler(this::me);
    routes.add(DELETE, "/v1/me", TAG, "Erase my account: frozen now, erased in 30 days in every domain (financial amounts kept, anonymised)", BEARER, auth)
        .handler(this::erase);
  }

  /** The account and, when it exists, the profile: what an app needs at start. */
  private void me(RoutingContext ctx) {
    UUID userId = UUID.fromString(Authn.principal(ctx).userId());
    accounts.getUser(userId)
        .compose(user -> profiles.get(userId).map(ContractJson::toJson)
            .recover(e -> e instanceof DomainException d && d.kind() == ErrorKind.NOT_FOUND ? Future.succeededFuture(null) : Future.failedFuture(e))
            .map(profile -> ContractJson.toJson(user).put("profile", profile)))
        .onSuccess(r -> JsonBodies.send(ctx, 200, r))
        .onFailure(ctx::fail);
  }

  /** Profile first (validation, guardian lookup), then the account, then the profile row. */
  private void register(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    ProfileDraft draft = new ProfileDraft(text(body, "full_name"), text(body, "date_of_birth"), text(body, "guardian_phone"),
        text(body, "relationship_type"));
    profiles.prepare(draft)
        .compose(prepared -> Bus.call(vertx, IdentityVerticle.address("register"), ClientInfo.addTo(ctx, new JsonObject()
                .put("email", body.getValue("email")).put("password", body.getValue("password"))
                .put("marketing_consent", body.getValue("marketing_consent")).put("referral_code", body.getValue("referral_code"))))
            .compose(tokens -> profiles.create(UUID.fromString(tokens.getString("user_id")), prepared)
                .map(created -> tokens.put("profile", ContractJson.toJson(created)))
                .recover(failed -> compensate(tokens.getString("user_id"), failed))))
        .onSuccess(r -> JsonBodies.send(ctx, 201, r))
        .onFailure(ctx::fail);
  }

  /** A text field of the body; another JSON type counts as absent (the profile domain then names the field). */
  private static String text(JsonObject body, String field) {
    return body.getValue(field) instanceof String s ? s : null;
  }

  /**
   * The profile step failed after the account was made: undo the account (erasure: anonymised,
   * sessions revoked, {@code identity.user_erased} for the other domains) and report the first
   * failure. Should the process die in between, the account survives without a profile, and its
   * owner's first {@code PUT /v1/me/profile} creates it.
   */
  private Future<JsonObject> compensate(String userId, Throwable failure) {
    return Bus.call(vertx, IdentityVerticle.address("erase"), new JsonObject().put("user_id", userId))
        .transform(undone -> Future.failedFuture(failure));
  }

  private void setActive(RoutingContext ctx, boolean active) {
    Object reason = ctx.body() == null || ctx.body().length() == 0 ? null : JsonBodies.object(ctx).getValue("reason");
    JsonBodies.reply(ctx, Bus.call(vertx, IdentityVerticle.address("set-active"), AuditContext.of(ctx).addTo(new JsonObject()
        .put("user_id", PathParams.uuid(ctx, "id", "user_not_found").toString()).put("admin_id", Authn.principal(ctx).userId())
        .put("active", active).put("reason", reason instanceof String r && r.length() <= 500 ? r : null))), 200);
  }

  /**
   * GDPR export, streamed: one JSON document whose {@code data} holds each domain's section, written
   * as each domain answers (in order), so a large history never sits whole in memory here.
   */
  private void export(RoutingContext ctx) {
    String userId = Authn.principal(ctx).userId();
    List<String> domains = Domains.names();
    var response = ctx.response().setChunked(true).putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store").putHeader("Content-Disposition", "attachment; filename=\"wolo-export.json\"");
    // A sensitive read: audited before anything is sent.
    Future<Void> chain = Bus.call(vertx, AdminReads.RECORD, AuditContext.of(ctx).addTo(new JsonObject().put("action", "user.exported")
        .put("resource_type", "user").put("resource_id", userId).put("owner_user_id", userId))).mapEmpty();
    for (int i = 0; i < domains.size(); i++) {
      String domain = domains.get(i);
      String lead = (i == 0 ? "{\"user_id\":\"" + userId + "\",\"data\":{" : ",") + "\"" + domain + "\":";
      chain = chain.compose(v -> Bus.call(vertx, Addresses.export(domain), new JsonObject().put("user_id", userId)))
          .compose(section -> response.write(lead + section.encode()));
    }
    chain.compose(v -> response.end("}}")).onFailure(e -> {
      if (response.headWritten()) response.reset();   // a half document must not look complete
      else ctx.fail(e);
    });
  }

  /**
   * Right to erasure: the account is frozen now (sessions end, sign-in refused) and erased 30 days
   * later, when identity anonymises it and every domain erases its data (identity.user_erased).
   */
  private void erase(RoutingContext ctx) {
    JsonBodies.reply(ctx, Bus.call(vertx, IdentityVerticle.address("request-erasure"), self(ctx)), 202);
  }

  private void forward(RoutingContext ctx, String verb, JsonObject req, int status) {
    JsonBodies.reply(ctx, Bus.call(vertx, IdentityVerticle.address(verb), req), status);
  }

  private static JsonObject withClient(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    JsonObject req = new JsonObject();
    for (String f : List.of("phone", "code", "email", "password", "refresh_token", "referral_code")) {
      if (body.getValue(f) instanceof String s) req.put(f, s);
    }
    return ClientInfo.addTo(ctx, req);
  }

  private static JsonObject self(RoutingContext ctx) {
    Principal p = Authn.principal(ctx);
    return new JsonObject().put("user_id", p.userId());
  }

}
