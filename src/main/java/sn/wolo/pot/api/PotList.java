package sn.wolo.pot.api;

import java.util.List;

public record PotList(List<PotView> pots) {
}
