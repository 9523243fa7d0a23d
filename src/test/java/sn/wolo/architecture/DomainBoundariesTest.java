package sn.wolo.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11: the boundaries, enforced. The platform knows no domain; a domain reaches another only
 * through its contract ({@code sn.wolo.<domain>.api}: a {@code @BusContract} interface and records),
 * never its verticle, services, repositories or SQL; only a domain's HTTP edge ({@code …Api}) knows
 * HTTP. The Wave client is platform ({@code platform.wave}): checkouts and partner payouts use it.
 */
class DomainBoundariesTest {

  private static final Set<String> DOMAINS = Set.of("identity", "profile", "referral", "pot", "donation", "pack", "redemption",
      "notification", "analytics", "admin", "web");
  private static final JavaClasses CODE = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("sn.wolo");

  @Test
  void thePlatformKnowsNoDomain() {
    noClasses().that().resideInAPackage("sn.wolo.platform..")
        .should().dependOnClassesThat().resideInAnyPackage(DOMAINS.stream().map(d -> "sn.wolo." + d + "..").toArray(String[]::new))
        .check(CODE);
  }

  @Test
  void aDomainReachesAnotherOnlyThroughItsContract() {
    classes().that().resideInAnyPackage(DOMAINS.stream().map(d -> "sn.wolo." + d + "..").toArray(String[]::new))
        .should(new ArchCondition<JavaClass>("use another domain only through its contract (sn.wolo.<domain>.api)") {
          @Override
          public void check(JavaClass item, ConditionEvents events) {
            String own = domain(item).orElseThrow();
            for (Dependency d : item.getDirectDependenciesFromSelf()) {
              JavaClass target = d.getTargetClass();
              Optional<String> other = domain(target);
              if (other.isEmpty() || other.get().equals(own)) continue;
              boolean contract = target.getPackageName().equals("sn.wolo." + other.get() + ".api");
              if (!contract) events.add(SimpleConditionEvent.violated(d, d.getDescription()));
            }
          }
        }).check(CODE);
  }

  /** Domain errors are not HTTP: only a domain's edge ({@code …Api} classes, which mount routes) touches the HTTP layer. */
  @Test
  void onlyADomainsHttpEdgeKnowsHttp() {
    classes().that().resideInAnyPackage(DOMAINS.stream().map(d -> "sn.wolo." + d + "..").toArray(String[]::new))
        .should(new ArchCondition<JavaClass>("depend on sn.wolo.platform.http only from a *Api class") {
          @Override
          public void check(JavaClass item, ConditionEvents events) {
            JavaClass top = item;
            while (top.getEnclosingClass().isPresent()) top = top.getEnclosingClass().get();
            if (top.getSimpleName().endsWith("Api")) return;
            for (Dependency d : item.getDirectDependenciesFromSelf()) {
              if (d.getTargetClass().getPackageName().startsWith("sn.wolo.platform.http")) events.add(SimpleConditionEvent.violated(d, d.getDescription()));
            }
          }
        }).check(CODE);
  }

  /**
   * A contract is what another JVM can use: interfaces annotated {@code @BusContract} whose operations
   * return futures, and records, in {@code sn.wolo.<domain>.api}, depending on nothing of any domain's
   * implementation (only other contracts and the platform's bus and errors).
   */
  @Test
  void contractsAreInterfacesAndRecordsThatNeedNoImplementation() {
    JavaClasses apis = CODE.that(com.tngtech.archunit.base.DescribedPredicate.describe("in an api package",
        c -> c.getPackageName().matches("sn\\.wolo\\.[a-z]+\\.api")));
    assertTrue(apis.size() >= 6 * 2, "each domain others call has a contract: " + apis.size());
    for (JavaClass c : apis) {
      assertTrue(c.isInterface() || c.isRecord() || c.isEnum(), c.getName() + " is an interface, a record or an enum");
      if (c.isInterface()) {
        assertTrue(c.isAnnotatedWith(sn.wolo.platform.bus.BusContract.class), c.getName() + " is a @BusContract");
        c.getMethods().stream().filter(m -> !m.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.STATIC))
            .forEach(m -> assertTrue(m.getRawReturnType().isEquivalentTo(io.vertx.core.Future.class), m.getFullName() + " returns a Future"));
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String target = d.getTargetClass().getPackageName();
        boolean allowed = !target.startsWith("sn.wolo.") || target.matches("sn\\.wolo\\.[a-z]+\\.api")
            || target.equals("sn.wolo.platform.bus") || target.equals("sn.wolo.platform.errors");
        assertTrue(allowed, d.getDescription());
      }
    }
  }

  /**
   * Typed configuration: a domain reads its settings once, in its {@code …Settings} record (checked at
   * start, failing with the variable's name), never by string key in its services. Provider adapters
   * ({@code notification.channel}) read their own settings when they are made.
   */
  @Test
  void domainsReadConfigurationOnlyInTheirSettingsRecords() {
    classes().that().resideInAnyPackage(DOMAINS.stream().map(d -> "sn.wolo." + d + "..").toArray(String[]::new))
        .and().haveSimpleNameNotEndingWith("Settings").and().resideOutsideOfPackage("sn.wolo.notification.channel..")
        .should(new ArchCondition<JavaClass>("not look up configuration keys (WoloConfig.integer/string/bool/optional/atLeast)") {
          @Override
          public void check(JavaClass item, ConditionEvents events) {
            item.getMethodCallsFromSelf().stream()
                .filter(call -> call.getTargetOwner().isEquivalentTo(sn.wolo.platform.config.WoloConfig.class))
                .filter(call -> Set.of("integer", "string", "bool", "optional", "atLeast").contains(call.getName()))
                .forEach(call -> events.add(SimpleConditionEvent.violated(call, call.getDescription())));
          }
        }).check(CODE);
  }

  /** Verticles only wire: a domain's SQL lives in its repositories, services and jobs, never in its verticle. */
  @Test
  void verticlesHoldNoSql() throws java.io.IOException {
    java.util.regex.Pattern sql = java.util.regex.Pattern.compile("\\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\\s+[a-z\"(]");
    int verticles = 0;
    for (String domain : DOMAINS) {
      try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java/sn/wolo", domain))) {
        for (var f : files.filter(p -> p.getFileName().toString().endsWith("Verticle.java")).toList()) {
          verticles++;
          var m = sql.matcher(java.nio.file.Files.readString(f));
          if (m.find()) throw new AssertionError(f + " holds SQL (" + m.group() + "…): move it to the domain's repository or service");
        }
      }
    }
    assertTrue(verticles >= 10, "the domains' verticles were read: " + verticles);
  }

  private static Optional<String> domain(JavaClass c) {
    String p = c.getPackageName();
    if (!p.startsWith("sn.wolo.")) return Optional.empty();
    String first = p.substring("sn.wolo.".length()).split("\\.")[0];
    return DOMAINS.contains(first) ? Optional.of(first) : Optional.empty();
  }
}
