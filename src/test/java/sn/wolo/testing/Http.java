package sn.wolo.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/** Synchronous JSON calls over real HTTP, for readable tests. */
public final class Http {

  private final WebClient client;

  public Http(WebClient client) {
    this.client = client;
  }

  public HttpResponse<Buffer> get(String path, String token) {
    return send(HttpMethod.GET, path, null, token);
  }

  public HttpResponse<Buffer> post(String path, JsonObject body, String token) {
    return send(HttpMethod.POST, path, body, token);
  }

  public HttpResponse<Buffer> put(String path, JsonObject body, String token) {
    return send(HttpMethod.PUT, path, body, token);
  }

  public HttpResponse<Buffer> delete(String path, String token) {
    return send(HttpMethod.DELETE, path, null, token);
  }

  public HttpResponse<Buffer> send(HttpMethod method, String path, JsonObject body, String token) {
    HttpRequest<Buffer> req = client.request(method, path);
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    return Await.result(body == null ? req.send() : req.sendJsonObject(body));
  }

  public static String errorCode(HttpResponse<Buffer> r) {
    JsonObject body = r.bodyAsJsonObject();
    return body == null || body.getJsonObject("error") == null ? null : body.getJsonObject("error").getString("code");
  }
}
