package sn.wolo.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.config.WoloConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    assertEquals(Set.of("Deployment", "Service", "ConfigMap", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget"), kinds);
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
        || v.asText().contains("USER:PASSWORD"), "a real value in the template: " + v));
  }
}
