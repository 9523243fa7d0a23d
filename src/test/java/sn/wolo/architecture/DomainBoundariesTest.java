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

/**
 * Issue 11 (first step): the boundaries the code already keeps, now enforced. The platform knows no
 * domain; a domain reaches another only through its verticle (the bus addresses it publishes) —
 * never its services, repositories or SQL. One shared provider client is allowed: Wave
 * ({@code donation.wave}), used for checkouts and for partner payouts.
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
  void aDomainReachesAnotherOnlyThroughItsBusAddresses() {
    classes().that().resideInAnyPackage(DOMAINS.stream().map(d -> "sn.wolo." + d + "..").toArray(String[]::new))
        .should(new ArchCondition<JavaClass>("use another domain only through its *Verticle (bus addresses)") {
          @Override
          public void check(JavaClass item, ConditionEvents events) {
            String own = domain(item).orElseThrow();
            for (Dependency d : item.getDirectDependenciesFromSelf()) {
              JavaClass target = d.getTargetClass();
              Optional<String> other = domain(target);
              if (other.isEmpty() || other.get().equals(own)) continue;
              boolean address = target.getSimpleName().endsWith("Verticle") && target.getPackageName().equals("sn.wolo." + other.get());
              boolean wave = target.getPackageName().equals("sn.wolo.donation.wave")
                  && Set.of("WaveClient", "WaveException").contains(target.getSimpleName());
              if (!address && !wave) events.add(SimpleConditionEvent.violated(d, d.getDescription()));
            }
          }
        }).check(CODE);
  }

  private static Optional<String> domain(JavaClass c) {
    String p = c.getPackageName();
    if (!p.startsWith("sn.wolo.")) return Optional.empty();
    String first = p.substring("sn.wolo.".length()).split("\\.")[0];
    return DOMAINS.contains(first) ? Optional.of(first) : Optional.empty();
  }
}
