package sn.wolo.contract;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.http.ApiContract;
import sn.wolo.testing.NodeTool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: the contract passes {@code redocly lint} with the recommended rules, without error or
 * warning (Redocly CLI installed by {@code npm ci} from the lock file in {@code src/test/openapi-lint}).
 */
class OpenApiLintTest {

  private static final Path CONTRACT = Path.of("src/main/resources", ApiContract.RESOURCE).toAbsolutePath();
  private static NodeTool redocly;

  @BeforeAll
  static void install() throws Exception {
    redocly = NodeTool.install("openapi-lint", List.of("package.json", "package-lock.json"), "@redocly/cli");
  }

  @Test
  void theContractPassesTheRecommendedRules() throws Exception {
    NodeTool.Result r = redocly.run(lint(CONTRACT), "", 180);
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("Your API description is valid"), r.output());
    assertTrue(!r.output().contains("warning"), "no warning either:\n" + r.output());
  }

  /** The linter is not a rubber stamp: an operation without responses and a duplicated operationId fail it. */
  @Test
  void aBrokenContractFailsTheLint() throws Exception {
    String broken = Files.readString(CONTRACT)
        .replaceFirst("operationId: getMe\n", "operationId: createPot\n");
    Path copy = redocly.dir().toAbsolutePath().resolve("broken.yaml");
    Files.writeString(copy, broken);
    NodeTool.Result r = redocly.run(lint(copy), "", 180);
    assertNotEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("operationId"), r.output());
  }

  private static List<String> lint(Path file) {
    return List.of("node", "node_modules/@redocly/cli/bin/cli.js", "lint", "--extends=recommended", "--format=stylish", file.toString());
  }
}
