package sn.wolo;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.ChildServer;
import sn.wolo.testing.TestDatabases;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17: two JVMs on one clustered event bus (Hazelcast, member list on 127.0.0.1). Node A runs
 * only the identity domain; node B runs them all. Requests to A for other domains are answered by
 * B's verticles across the bus, and A is ready because every domain answers somewhere.
 */
class ClusteredEventBusTest {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void aNodeReachesDomainsDeployedOnlyOnAnotherNode() throws Exception {
    String db = TestDatabases.migrated().url();
    Map<String, String> cluster = new HashMap<>(Map.of("WOLO_DB_URL", db, "WOLO_CLUSTER", "true",
        "WOLO_CLUSTER_NAME", "wolo-test-" + UUID.randomUUID(), "WOLO_CLUSTER_MEMBERS", "127.0.0.1"));
    try (ChildServer b = ChildServer.spawn("cluster-b", cluster).awaitReady(Duration.ofSeconds(120))) {
      Map<String, String> onlyIdentity = new HashMap<>(cluster);
      onlyIdentity.put("WOLO_DOMAINS", "identity");
      try (ChildServer a = ChildServer.spawn("cluster-a", onlyIdentity).awaitReady(Duration.ofSeconds(120))) {
        assertTrue(a.output().contains("clustered event bus: joined"), a.output());
        JsonObject ready = new JsonObject(get(a.port(), "/health/ready").body());
        assertEquals("UP", ready.getJsonObject("checks").getJsonObject("pack").getString("status"), "pack runs on B only: " + ready);

        // The catalogue and a pot's public page are served by B's verticles, asked by A's edge over the bus.
        var packs = get(a.port(), "/v1/packs");
        assertEquals(200, packs.statusCode(), packs.body());
        assertTrue(new JsonObject(packs.body()).containsKey("items") || new JsonObject(packs.body()).containsKey("packs"), packs.body());
        var noPot = get(a.port(), "/v1/public/pots/" + UUID.randomUUID());
        assertEquals(404, noPot.statusCode(), "a domain failure crosses the bus as a 404, not a 500: " + noPot.body());
        assertEquals("pot_not_found", new JsonObject(noPot.body()).getJsonObject("error").getString("code"),
            "the DomainException arrives whole (its codec on the clustered bus)");
        // A's own domain answers locally; the code it sends goes out through Notifications, a typed contract served on B.
        var otp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port() + "/v1/auth/otp/request"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"phone\":\"+221770123400\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(202, otp.statusCode(), otp.body());
      }
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(15)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
