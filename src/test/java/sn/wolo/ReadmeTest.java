package sn.wolo;

import org.junit.jupiter.api.Test;
import sn.wolo.platform.config.WoloConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's configuration table lists every setting, and CI runs the README's test command. */
class ReadmeTest {

  @Test
  void everySettingIsDocumented() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    WoloConfig.load(Map.of(), Map.of()).toJson().fieldNames()
        .forEach(key -> assertTrue(readme.contains("`" + WoloConfig.envName(key) + "`"), "README lacks " + WoloConfig.envName(key)));
  }

  @Test
  void ciRunsTheReadmeTestCommand() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String ci = Files.readString(Path.of(".ci/run"));
    assertTrue(readme.contains("\nmvn -B verify\n"));
    assertTrue(ci.contains("\nmvn -B verify\n"));
  }
}
