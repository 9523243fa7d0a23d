package sn.wolo.identity;

import io.vertx.core.json.JsonObject;

/** Who is calling, as recorded on a session: client IP, user agent and what the app says of its device. */
record Client(String ip, String userAgent, JsonObject device) {

  static Client from(JsonObject req) {
    String ua = req.getString("user_agent");
    return new Client(req.getString("ip"), ua == null ? null : ua.substring(0, Math.min(ua.length(), 500)),
        req.getJsonObject("device"));
  }

  JsonObject toJson() {
    return new JsonObject().put("ip", ip).put("user_agent", userAgent).put("device", device);
  }
}
