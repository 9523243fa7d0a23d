package sn.wolo.web;

import sn.wolo.platform.config.WoloConfig;

/** What the guest pages need: the public address of the site and the donation amounts the form offers. */
record GuestPageSettings(String publicBaseUrl, int minCfa, int maxCfa) {

  static GuestPageSettings from(WoloConfig c) {
    int min = c.atLeast("donation.min-cfa", 1);
    return new GuestPageSettings(c.string("public.base-url"), min, c.atLeast("donation.max-cfa", min));
  }
}
