package sn.wolo.identity.api;

/** What an erased account was reachable by (null when unknown or already forgotten). */
public record ErasedIdentifiers(String phone, String email) {
}
