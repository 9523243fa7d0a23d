package sn.wolo.pot.api;

public record LivePot(boolean live) {
}
