package sn.wolo.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of PostgreSQL that can stall: connections stay open but no byte goes
 * through (a hung database, a network black hole), until it resumes.
 */
public final class StallingProxy implements AutoCloseable {

  private final Vertx vertx;
  private final NetServer server;
  private final NetClient client;
  private final List<NetSocket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean stalled;

  private StallingProxy(Vertx vertx, NetServer server, NetClient client) {
    this.vertx = vertx;
    this.server = server;
    this.client = client;
  }

  public static StallingProxy start(String targetHost, int targetPort) {
    Vertx vertx = Vertx.vertx();
    NetClient client = vertx.createNetClient();
    NetServer server = vertx.createNetServer();
    StallingProxy proxy = new StallingProxy(vertx, server, client);
    server.connectHandler(in -> {
      in.pause();
      client.connect(targetPort, targetHost).onSuccess(out -> {
        proxy.sockets.add(in);
        proxy.sockets.add(out);
        in.handler(out::write);
        out.handler(in::write);
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        if (proxy.stalled) out.pause();
        else in.resume();
      }).onFailure(e -> in.close());
    });
    Await.result(server.listen(0, "127.0.0.1"));
    return proxy;
  }

  public int port() {
    return server.actualPort();
  }

  /** No more bytes in either direction; connections stay open. */
  public void stall() {
    stalled = true;
    sockets.forEach(NetSocket::pause);
  }

  public void resume() {
    stalled = false;
    sockets.forEach(NetSocket::resume);
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
