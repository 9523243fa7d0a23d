package sn.wolo.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.NodeTool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17: every manifest under {@code k8s/} — and the ConfigMap each overlay patches — passes the JSON
 * schema of its kind: the Kubernetes API's and the CRDs' of CloudNativePG and Strimzi, through the
 * {@code kubernetes-models} validators (Node.js, installed by {@code npm ci} from the lock file in
 * {@code src/test/k8s-validator}). A kind without a schema fails, so nothing passes unchecked.
 * Limit: like the API server without strict field validation, the schemas do not reject unknown fields.
 */
class K8sSchemaTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static NodeTool validator;

  @BeforeAll
  static void installValidator() throws Exception {
    validator = NodeTool.install("k8s-validator", List.of("package.json", "package-lock.json", "validate.mjs"), "kubernetes-models");
  }

  @Test
  void everyManifestAndEveryOverlaysConfigMapMatchesItsSchema() throws Exception {
    List<JsonNode> docs = manifests();
    List<JsonNode> results = validate(docs);
    assertEquals(docs.size(), results.size());
    for (JsonNode r : results) assertEquals(0, r.get("errors").size(), r.get("kind").asText() + " " + r.get("name").asText() + ": " + r.get("errors"));
    List<String> kinds = results.stream().map(r -> r.get("kind").asText()).distinct().toList();
    for (String crd : List.of("postgresql.cnpg.io/v1/Cluster", "postgresql.cnpg.io/v1/Pooler", "kafka.strimzi.io/v1beta2/Kafka",
        "kafka.strimzi.io/v1beta2/KafkaTopic", "kafka.strimzi.io/v1beta2/KafkaUser", "apps/v1/Deployment")) {
      assertTrue(kinds.contains(crd), "validated " + crd);
    }
  }

  /** The validator is not a rubber stamp: wrong types, a missing required field and an unknown kind are refused. */
  @Test
  void theValidatorRefusesBrokenManifests() throws Exception {
    List<JsonNode> docs = manifests();
    ObjectNode deployment = copyOf(docs, "Deployment");
    ((ObjectNode) deployment.get("spec")).put("replicas", "three");
    ObjectNode cluster = copyOf(docs, "Cluster");
    ((ObjectNode) cluster.get("spec")).put("instances", "3");
    ObjectNode topic = copyOf(docs, "KafkaTopic");
    ((ObjectNode) topic.get("spec")).put("partitions", -1.5);
    ObjectNode service = copyOf(docs, "Service");
    ((ArrayNode) service.at("/spec/ports")).addObject().put("name", "no-port");
    ObjectNode unknown = JSON.createObjectNode().put("apiVersion", "example.invalid/v1").put("kind", "Widget");
    unknown.putObject("metadata").put("name", "w");

    List<JsonNode> results = validate(List.of(deployment, cluster, topic, service, unknown));
    assertEquals(5, results.size());
    assertTrue(results.get(0).get("errors").toString().contains("/spec/replicas"), results.get(0).toString());
    assertTrue(results.get(1).get("errors").toString().contains("/spec/instances"), results.get(1).toString());
    assertTrue(results.get(2).get("errors").toString().contains("/spec/partitions"), results.get(2).toString());
    assertTrue(results.get(3).get("errors").toString().contains("port"), results.get(3).toString());
    assertTrue(results.get(4).get("errors").toString().contains("no schema"), results.get(4).toString());
  }

  /** The documents of k8s/ (base, platform, the Secret template), plus each resource an overlay patches, patched. */
  private static List<JsonNode> manifests() throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var files = Files.walk(Path.of("k8s"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml")).sorted().toList()) {
        try (var parser = YAML.getFactory().createParser(f.toFile())) {
          YAML.readValues(parser, JsonNode.class).readAll().stream().filter(d -> d != null && d.has("kind")).forEach(docs::add);
        }
      }
    }
    for (String overlay : List.of("dev", "prod")) {
      JsonNode kustomization = YAML.readTree(Path.of("k8s/overlays", overlay, "kustomization.yaml").toFile());
      for (JsonNode patch : kustomization.path("patches")) {
        JsonNode body = YAML.readTree(patch.get("patch").asText());
        ObjectNode target = copyOf(docs, patch.at("/target/kind").asText());
        docs.add(body.isArray() ? applyOperations(target, body) : merge(target, body));
      }
    }
    return docs;
  }

  /** A strategic merge of maps, as kustomize applies a patch to a ConfigMap: objects merged, values replaced. */
  private static JsonNode merge(ObjectNode target, JsonNode patch) {
    patch.fields().forEachRemaining(e -> {
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue().isObject()) merge(o, e.getValue());
      else target.set(e.getKey(), e.getValue().deepCopy());
    });
    return target;
  }

  /** A JSON 6902 patch of {@code replace}/{@code add} operations on object members (all the overlays use). */
  private static JsonNode applyOperations(ObjectNode target, JsonNode operations) {
    for (JsonNode op : operations) {
      String path = op.get("path").asText();
      assertTrue(Set.of("replace", "add").contains(op.get("op").asText()), "unsupported patch operation " + op);
      int last = path.lastIndexOf('/');
      JsonNode parent = target.at(path.substring(0, last));
      assertTrue(parent.isObject(), "no object at " + path);
      ((ObjectNode) parent).set(path.substring(last + 1), op.get("value").deepCopy());
    }
    return target;
  }

  private static ObjectNode copyOf(List<JsonNode> docs, String kind) {
    return (ObjectNode) docs.stream().filter(d -> d.get("kind").asText().equals(kind)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind)).deepCopy();
  }

  private static List<JsonNode> validate(List<JsonNode> docs) throws Exception {
    String out = run(List.of("node", "validate.mjs"), JSON.writeValueAsString(docs), 120);
    List<JsonNode> results = new ArrayList<>();
    for (String line : out.split("\n")) if (!line.isBlank()) results.add(JSON.readTree(line));
    return results;
  }

  private static String run(List<String> command, String stdin, int timeoutSeconds) throws Exception {
    NodeTool.Result r = validator.run(command, stdin, timeoutSeconds);
    assertTrue(r.exit() == 0, String.join(" ", command) + " failed (Node.js and npm are needed: .ci/run installs them):\n" + r.output());
    return r.output();
  }
}
