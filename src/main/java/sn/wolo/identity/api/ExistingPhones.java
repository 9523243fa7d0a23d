package sn.wolo.identity.api;

import java.util.List;

/** The numbers, of those asked about, that belong to an account. */
public record ExistingPhones(List<String> existing) {
}
