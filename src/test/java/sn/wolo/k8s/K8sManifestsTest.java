package sn.wolo.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.config.WoloConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kustomize base parses, lists files that exist, probes real endpoints and names real settings. */
class K8sManifestsTest {

  private static final Path BASE = Path.of("k8s/base");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void kustomizationResourcesExistAndParse() throws Exception {
    JsonNode kustomization = YAML.readTree(BASE.resolve("kustomization.yaml").toFile());
    Set<String> kinds = new HashSet<>();
    for (JsonNode r : kustomization.get("resources")) {
      Path file = BASE.resolve(r.asText());
      assertTrue(Files.exists(file), "missing " + file);
      JsonNode doc = YAML.readTree(file.toFile());
      assertTrue(doc.hasNonNull("apiVersion") && doc.hasNonNull("kind") && doc.at("/metadata/name").isTextual(), file.toString());
      kinds.add(doc.get("kind").asText());
    }
    assertEquals(Set.of("Deployment", "Service", "ConfigMap", "ServiceAccount", "HorizontalPodAutoscaler", "PodDisruptionBudget",
        "NetworkPolicy", "Job"), kinds);
    assertFalse(kustomization.toString().contains("secret.template"), "applying the template would overwrite the real Secret");
  }

  @Test
  void probesHitTheHealthEndpoints() throws Exception {
    JsonNode container = YAML.readTree(BASE.resolve("deployment.yaml").toFile()).at("/spec/template/spec/containers/0");
    assertEquals("/health/live", container.at("/livenessProbe/httpGet/path").asText());
    assertEquals("/health/ready", container.at("/readinessProbe/httpGet/path").asText());
    assertEquals("/health/live", container.at("/startupProbe/httpGet/path").asText());
  }

  @Test
  void configMapAndSecretOnlyNameRealSettingsAndTheSecretHoldsNoValue() throws Exception {
    var known = new HashSet<String>();
    WoloConfig.load(Map.of(), Map.of()).toJson().fieldNames().forEach(k -> known.add(WoloConfig.envName(k)));
    JsonNode cm = YAML.readTree(BASE.resolve("configmap.yaml").toFile()).get("data");
    cm.fieldNames().forEachRemaining(k -> assertTrue(known.contains(k), "unknown setting " + k));
    JsonNode secret = YAML.readTree(BASE.resolve("secret.template.yaml").toFile()).get("stringData");
    secret.fieldNames().forEachRemaining(k -> assertTrue(known.contains(k), "unknown setting " + k));
    secret.elements().forEachRemaining(v -> assertTrue(v.asText().contains("REPLACE_ME")
        || v.asText().contains(":PASSWORD@"), "a real value in the template: " + v));
    for (Path overlay : List.of(Path.of("k8s/overlays/dev/kustomization.yaml"), Path.of("k8s/overlays/prod/kustomization.yaml"))) {
      for (JsonNode patch : YAML.readTree(overlay.toFile()).get("patches")) {
        JsonNode body = YAML.readTree(patch.get("patch").asText());
        if (body.has("data")) body.get("data").fieldNames().forEachRemaining(k -> assertTrue(known.contains(k), overlay + ": unknown setting " + k));
      }
    }
    JsonNode env = YAML.readTree(BASE.resolve("deployment.yaml").toFile()).at("/spec/template/spec/containers/0/env");
    env.forEach(e -> assertTrue(known.contains(e.get("name").asText()), "unknown setting " + e.get("name")));
  }

  /** Every YAML document under k8s/, with the kinds of resources each references checked against the others. */
  private static List<JsonNode> documents(Path dir) throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    try (var files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml")).toList()) {
        try (var parser = YAML.getFactory().createParser(f.toFile())) {
          YAML.readValues(parser, JsonNode.class).readAll().stream().filter(d -> d != null && d.has("kind")).forEach(docs::add);
        }
      }
    }
    return docs;
  }

  private static JsonNode one(List<JsonNode> docs, String kind, String name) {
    return docs.stream().filter(d -> d.get("kind").asText().equals(kind) && d.at("/metadata/name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  /** Issue 17: the overlays' resources exist; PostgreSQL and Kafka by their operators, wired to what the app reads. */
  @Test
  void overlaysAndOperatorsAreWiredToWhatTheAppReads() throws Exception {
    for (String overlay : List.of("dev", "prod")) {
      Path dir = Path.of("k8s/overlays", overlay);
      for (JsonNode r : YAML.readTree(dir.resolve("kustomization.yaml").toFile()).get("resources")) {
        assertTrue(Files.exists(dir.resolve(r.asText()).resolve("kustomization.yaml")), overlay + ": " + r.asText());
      }
    }
    List<JsonNode> docs = documents(Path.of("k8s"));
    for (JsonNode d : docs) assertTrue(d.hasNonNull("apiVersion") && d.at("/metadata/name").isTextual(), d.toString());

    JsonNode db = one(docs, "Cluster", "wolo-db");
    assertEquals("postgresql.cnpg.io/v1", db.get("apiVersion").asText());
    assertEquals(3, db.at("/spec/instances").asInt(), "a primary and two replicas");
    assertTrue(db.at("/spec/backup/barmanObjectStore/destinationPath").asText().startsWith("s3://"), "WAL archived: point-in-time recovery");
    assertEquals("wolo-db-ca", db.at("/spec/certificates/serverCASecret").asText());
    JsonNode pooler = one(docs, "Pooler", "wolo-db-pooler-rw");
    assertEquals("wolo-db", pooler.at("/spec/cluster/name").asText());
    int hpaMax = one(docs, "HorizontalPodAutoscaler", "wolo-backend").at("/spec/maxReplicas").asInt();
    int poolSize = Integer.parseInt(YAML.readTree(BASE.resolve("configmap.yaml").toFile()).at("/data/WOLO_DB_POOL_SIZE").asText());
    assertTrue(Integer.parseInt(pooler.at("/spec/pgbouncer/parameters/max_client_conn").asText()) >= hpaMax * poolSize,
        "PgBouncer takes every pod's pool at the HPA maximum");
    int server = Integer.parseInt(pooler.at("/spec/pgbouncer/parameters/default_pool_size").asText()) * pooler.at("/spec/instances").asInt();
    assertTrue(server < Integer.parseInt(db.at("/spec/postgresql/parameters/max_connections").asText()), "below max_connections");

    JsonNode kafka = one(docs, "Kafka", "wolo-kafka");
    assertEquals("kafka.strimzi.io/v1beta2", kafka.get("apiVersion").asText());
    assertEquals("enabled", kafka.at("/metadata/annotations/strimzi.io~1kraft").asText(), "KRaft, no ZooKeeper");
    assertEquals("scram-sha-512", kafka.at("/spec/kafka/listeners/0/authentication/type").asText());
    assertTrue(kafka.at("/spec/kafka/listeners/0/tls").asBoolean());
    for (String domain : List.of("identity", "profile", "referral", "pot", "donation", "gift", "settlement", "redemption", "analytics")) {
      JsonNode topic = one(docs, "KafkaTopic", "wolo." + domain + ".events");
      assertEquals("wolo-kafka", topic.at("/metadata/labels/strimzi.io~1cluster").asText());
      assertEquals(3, topic.at("/spec/replicas").asInt());
    }
    JsonNode user = one(docs, "KafkaUser", "wolo-backend");
    assertTrue(user.toString().contains("wolo-outbox-relay-"), "the relay's transactional ids are allowed");

    JsonNode cm = YAML.readTree(BASE.resolve("configmap.yaml").toFile()).get("data");
    JsonNode headless = one(docs, "Service", "wolo-cluster");
    assertEquals("None", headless.at("/spec/clusterIP").asText());
    assertTrue(cm.get("WOLO_CLUSTER_KUBERNETES_SERVICE").asText().startsWith("wolo-cluster."), "Hazelcast looks up the headless service");
    JsonNode pod = one(docs, "Deployment", "wolo-backend").at("/spec/template/spec");
    Set<Integer> ports = new HashSet<>();
    pod.at("/containers/0/ports").forEach(p -> ports.add(p.get("containerPort").asInt()));
    assertEquals(Set.of(8080, 5701, Integer.parseInt(cm.get("WOLO_CLUSTER_BUS_PORT").asText())), ports);
    String policy = one(docs, "NetworkPolicy", "wolo-backend").toString();
    for (int port : ports) assertTrue(policy.contains("\"port\":" + port), "the NetworkPolicy lets port " + port + " in");
    assertEquals(2, pod.get("topologySpreadConstraints").size(), "spread over zones and nodes");
    assertEquals("wolo-backend", pod.get("serviceAccountName").asText());
    assertEquals("never", cm.get("WOLO_DB_MIGRATE").asText(), "the app role has no DDL rights");
    JsonNode job = one(docs, "Job", "wolo-migrate");
    assertTrue(job.toString().contains("\"value\":\"only\""), "the Job migrates and exits");
  }
}
