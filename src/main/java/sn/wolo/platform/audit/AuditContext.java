package sn.wolo.platform.audit;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import sn.wolo.platform.http.ClientInfo;
import sn.wolo.platform.http.RequestId;
import sn.wolo.platform.security.Authn;

import java.util.UUID;

/**
 * Who asked for an audited change and from where: the acting user, IP, user agent and request id.
 * Built at the HTTP edge, carried in the bus request under {@code "audit"}, written by the domain in
 * the transaction of the change.
 */
public record AuditContext(UUID actor, String ip, String userAgent, String requestId) {

  public static final String FIELD = "audit";
  private static final int MAX_AGENT = 500;

  public static AuditContext of(RoutingContext ctx) {
    String agent = ctx.request().getHeader("User-Agent");
    return new AuditContext(UUID.fromString(Authn.principal(ctx).userId()), ClientInfo.ip(ctx),
        agent == null || agent.length() <= MAX_AGENT ? agent : agent.substring(0, MAX_AGENT), RequestId.of(ctx));
  }

  /** The context a bus request carries; a request without one was made by the system (a job, a consumer). */
  public static AuditContext from(JsonObject busRequest) {
    JsonObject a = busRequest.getJsonObject(FIELD);
    if (a == null) return system();
    String actor = a.getString("actor");
    return new AuditContext(actor == null ? null : UUID.fromString(actor), a.getString("ip"), a.getString("user_agent"),
        a.getString("request_id"));
  }

  public static AuditContext system() {
    return new AuditContext(null, null, null, null);
  }

  /** Adds this context to a bus request. */
  public JsonObject addTo(JsonObject busRequest) {
    return busRequest.put(FIELD, new JsonObject().put("actor", actor == null ? null : actor.toString()).put("ip", ip)
        .put("user_agent", userAgent).put("request_id", requestId));
  }
}
