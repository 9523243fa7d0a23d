package sn.wolo.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.errors.DomainException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * {@code /docs}: a browsable reference of the contract (Swagger UI from its webjar, served by us: no
 * CDN, no third-party request). The files are read from the classpath once, on a worker, then served
 * from memory.
 */
public final class ApiDocsApi implements DomainApi {

  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  /** The files the page uses: name → media type. Nothing else of the webjar is served. */
  private static final Map<String, String> FILES = Map.of(
      "swagger-ui.css", "text/css; charset=utf-8",
      "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
      "wolo-docs.js", "text/javascript; charset=utf-8");

  private Future<Map<String, Buffer>> files;

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    routes.add(HttpMethod.GET, "/docs", "platform", "The API reference (Swagger UI over /openapi.json)", Endpoint.Security.PUBLIC,
        ctx -> serve(ctx, vertx, "index.html", "text/html; charset=utf-8"));
    routes.add(HttpMethod.GET, "/docs/:file", "platform", "The reference page's scripts and styles", Endpoint.Security.PUBLIC, ctx -> {
      String name = ctx.pathParam("file");
      String type = FILES.get(name);
      if (type == null) throw DomainException.notFound("not_found", "No such file.");
      serve(ctx, vertx, name, type);
    });
  }

  private void serve(RoutingContext ctx, Vertx vertx, String name, String type) {
    if (files == null) files = vertx.executeBlocking(ApiDocsApi::read, false);   // each edge instance has its own, on its event loop
    files.onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      // The page is rendered by its scripts: it needs the same origin only (connect to /openapi.json).
      ctx.response().putHeader("Content-Type", type).putHeader("Cache-Control", "public, max-age=3600")
          .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
          .end(ar.result().get(name));
    });
  }

  private static Map<String, Buffer> read() {
    String version = webjarVersion();
    return Map.of(
        "index.html", resource("docs/index.html"),
        "wolo-docs.js", resource("docs/wolo-docs.js"),
        "swagger-ui.css", resource(WEBJAR + version + "/swagger-ui.css"),
        "swagger-ui-bundle.js", resource(WEBJAR + version + "/swagger-ui-bundle.js"));
  }

  private static String webjarVersion() {
    Properties p = new Properties();
    try (InputStream in = ApiDocsApi.class.getClassLoader().getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) throw new IllegalStateException("the swagger-ui webjar is not on the classpath");
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Buffer resource(String path) {
    try (InputStream in = ApiDocsApi.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException(path + " is not on the classpath");
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
