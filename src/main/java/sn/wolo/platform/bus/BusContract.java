package sn.wolo.platform.bus;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a domain's event-bus contract: a Java interface in {@code sn.wolo.<domain>.api} whose methods
 * return {@code Future<…>} of records. Each method is served at {@code wolo.<domain>.<method-in-kebab-case>}
 * ({@code acceptingDonations} → {@code wolo.pot.accepting-donations}); see {@link TypedBus}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface BusContract {

  /** The domain whose verticle serves it: the address prefix {@code wolo.<domain>.}. */
  String domain();
}
