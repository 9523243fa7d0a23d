package sn.wolo.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import sn.wolo.platform.db.DatabaseSettings;

/** Testcontainers PostgreSQL, used only where a Docker daemon answers (not on our CI machines). */
final class DockerPostgres {

  private DockerPostgres() {
  }

  static boolean available() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable e) {
      return false;
    }
  }

  @SuppressWarnings("resource")   // lives as long as the test JVM; Ryuk removes it
  static DatabaseSettings start() {
    var container = new PostgreSQLContainer("postgres:17-alpine")
        .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=400");
    container.start();
    return new DatabaseSettings(container.getHost(), container.getMappedPort(5432), "postgres",
        container.getUsername(), container.getPassword());
  }
}
