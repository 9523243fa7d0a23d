package sn.wolo.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import sn.wolo.platform.http.ApiContract;

import java.net.URI;

/**
 * Every response a test receives from the server is checked against the contract
 * ({@code openapi/wolo.yaml}): its status must be documented for the operation (or fall to the
 * error model's {@code default}), its media type too, and a JSON body must match the schema. A
 * mismatch fails the test's call with what differs, so the contract cannot drift from the code.
 */
final class ContractCheck {

  private final ApiContract api;
  private final OpenAPIContract contract;
  private final ResponseValidator validator;

  private ContractCheck(ApiContract api, Vertx vertx) {
    this.api = api;
    this.contract = api.resolved();
    this.validator = ResponseValidator.create(vertx, contract);
  }

  static ContractCheck load(Vertx vertx) {
    return new ContractCheck(Await.result(ApiContract.load(vertx)), vertx);
  }

  void intercept(HttpContext<?> ctx) {
    if (ctx.phase() != ClientPhase.DISPATCH_RESPONSE) {
      ctx.next();
      return;
    }
    HttpMethod method = ctx.request().method();
    if (method == HttpMethod.OPTIONS) {   // CORS preflights are answered before any operation
      ctx.next();
      return;
    }
    String path = URI.create(ctx.request().uri()).getRawPath();
    int status = ctx.response().statusCode();
    Operation op = contract.findOperation(path, method);
    if (op == null) {
      // No operation: the router answered 404/405 itself, or a hostile request never reached one.
      if (status == 404 || status == 405 || status == 400 || status == 413 || status == 414 || status == 431 || status == 429) ctx.next();
      else ctx.fail(new AssertionError(method + " " + path + " answered " + status + " but the contract has no such operation"));
      return;
    }
    Response documented = op.getResponse(status) != null ? op.getResponse(status) : op.getDefaultResponse();
    String where = op.getOperationId() + " (" + method + " " + op.getOpenAPIPath() + ") → " + status;
    if (documented == null) {
      ctx.fail(new AssertionError(where + " is not a documented response"));
      return;
    }
    String contentType = ctx.response().getHeader("Content-Type");
    String media = contentType == null ? null : contentType.split(";")[0].trim();
    Object body = ctx.response().body();
    Buffer bytes = body instanceof Buffer b ? b : null;
    boolean hasBody = bytes != null && bytes.length() > 0;
    java.util.Set<String> mediaTypes = api.mediaTypes(op, status);
    if (mediaTypes.isEmpty()) {
      if (hasBody && status != 304) ctx.fail(new AssertionError(where + " has a body but the contract documents none"));
      else ctx.next();
      return;
    }
    if (media == null || !mediaTypes.contains(media)) {
      ctx.fail(new AssertionError(where + " is " + contentType + "; the contract says " + mediaTypes));
      return;
    }
    if (!media.equals("application/json")) {
      ctx.next();
      return;
    }
    validator.validate(ValidatableResponse.create(status, bytes, media), op.getOperationId()).onComplete(ar -> {
      if (ar.succeeded()) ctx.next();
      else ctx.fail(new AssertionError(where + " does not match the contract: " + ar.cause().getMessage()
          + "\n  body: " + (bytes.length() > 2000 ? bytes.getString(0, 2000) + "…" : bytes)));
    });
  }
}
