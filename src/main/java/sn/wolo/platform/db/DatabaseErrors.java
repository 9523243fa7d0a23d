package sn.wolo.platform.db;

import io.vertx.pgclient.PgException;

/** Tells "the database is not there" (connection refused or lost, server shutting down or starting) from a bug. */
public final class DatabaseErrors {

  private DatabaseErrors() {
  }

  public static boolean unavailable(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof PgException pg && pg.getSqlState() != null) {
        String s = pg.getSqlState();
        // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now; 53300: too many connections
        return s.startsWith("08") || s.startsWith("57P") || s.equals("53300");
      }
      String type = c.getClass().getName();
      // SocketException: refused, or reset by a backend that died mid-query (java.net's "Connection
      // reset"; netty's native transport says "Connection reset by peer" in a plain IOException).
      if (c instanceof java.net.SocketException || c instanceof java.nio.channels.ClosedChannelException
          || type.equals("io.vertx.sqlclient.ClosedConnectionException") || type.endsWith("ConnectTimeoutException")
          || type.endsWith("NoStackTraceTimeoutException") && String.valueOf(c.getMessage()).contains("connection")) {
        return true;
      }
      String message = String.valueOf(c.getMessage());
      if (message.contains("Connection refused") || message.contains("Connection reset") || message.contains("Failed to read any response from the server")
          || message.startsWith("Connection is not active now") || message.startsWith("Timeout waiting for connection")) {
        return true;
      }
    }
    return false;
  }
}
