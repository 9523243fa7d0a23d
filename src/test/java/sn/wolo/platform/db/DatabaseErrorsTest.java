package sn.wolo.platform.db;

import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What counts as "the database is not there" (503, retry) and what is a bug (500). */
class DatabaseErrorsTest {

  @Test
  void aConnectionResetByADyingBackendIsAnOutage() {
    // seen in CI: the postmaster killed mid-burst, a backend's socket reset under an INSERT answered 500
    assertTrue(DatabaseErrors.unavailable(new SocketException("Connection reset")));
    assertTrue(DatabaseErrors.unavailable(new IOException("recvAddress(..) failed: Connection reset by peer")));
    assertTrue(DatabaseErrors.unavailable(new RuntimeException("wrapped", new SocketException("Connection reset"))));
  }

  @Test
  void shutdownAndConnectionStatesAreOutagesOtherStatesAreNot() {
    assertTrue(DatabaseErrors.unavailable(new PgException("terminating connection due to unexpected postmaster exit", "FATAL", "57P01", null)));
    assertTrue(DatabaseErrors.unavailable(new PgException("the database system is starting up", "FATAL", "57P03", null)));
    assertTrue(DatabaseErrors.unavailable(new java.net.ConnectException("Connection refused")));
    assertFalse(DatabaseErrors.unavailable(new PgException("duplicate key", "ERROR", "23505", null)));
    assertFalse(DatabaseErrors.unavailable(new IllegalStateException("a bug")));
    assertFalse(DatabaseErrors.unavailable(new IOException("No space left on device")));
  }
}
