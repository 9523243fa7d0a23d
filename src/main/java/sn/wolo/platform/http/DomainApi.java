package sn.wolo.platform.http;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.AppContext;

/** A domain's HTTP routes. The edge verticle calls {@link #mount} once per edge instance. */
public interface DomainApi {

  void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app);

  /** Releases what {@link #mount} opened (clients); called when the edge instance stops. */
  default io.vertx.core.Future<Void> close() {
    return io.vertx.core.Future.succeededFuture();
  }
}
