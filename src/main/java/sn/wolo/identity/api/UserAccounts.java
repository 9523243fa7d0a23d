package sn.wolo.identity.api;

import java.util.List;

/** The accounts asked about that exist, in no particular order. */
public record UserAccounts(List<UserAccount> accounts) {
}
