package sn.wolo.profile;

import sn.wolo.platform.config.WoloConfig;

/** The profile domain's settings: the key that encrypts ID numbers and hashes guardians' phones. */
record ProfileSettings(String masterKey) {

  static ProfileSettings from(WoloConfig c) {
    return new ProfileSettings(c.string("security.master-key"));
  }
}
