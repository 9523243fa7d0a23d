package sn.wolo.platform.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client's address behind an ingress or load balancer. {@code X-Forwarded-For} is honoured only
 * when the TCP peer is one of the configured proxies ({@code WOLO_HTTP_TRUSTED_PROXIES}, CIDRs), and
 * then the client is the right-most address of the header that is not itself a trusted proxy (what a
 * client writes to the left of it is spoofable). With no proxy configured, the TCP peer is the client.
 * The result is put on the request for {@link ClientInfo#ip}: rate limits, OTP limits and fraud rules
 * see the real client, not the ingress.
 */
public final class TrustedProxies implements Handler<RoutingContext> {

  static final String CLIENT_IP = "wolo.client-ip";

  private record Cidr(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) return false;
      int full = bits / 8;
      for (int i = 0; i < full; i++) if (address[i] != network[i]) return false;
      int rest = bits % 8;
      if (rest == 0) return true;
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Cidr> proxies;

  private TrustedProxies(List<Cidr> proxies) {
    this.proxies = proxies;
  }

  /** {@code "10.0.0.0/8, 127.0.0.1/32"}; empty = no proxy trusted. A bad entry fails the start, naming the setting. */
  public static TrustedProxies parse(String cidrs) {
    List<Cidr> out = new ArrayList<>();
    for (String raw : cidrs.split(",")) {
      String c = raw.trim();
      if (c.isEmpty()) continue;
      String[] parts = c.split("/", 2);
      try {
        byte[] network = InetAddress.getByName(literal(parts[0])).getAddress();
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
        if (bits < 0 || bits > network.length * 8) throw new NumberFormatException();
        out.add(new Cidr(network, bits));
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("WOLO_HTTP_TRUSTED_PROXIES: '" + c + "' is not an address or CIDR");
      }
    }
    return new TrustedProxies(List.copyOf(out));
  }

  @Override
  public void handle(RoutingContext ctx) {
    String peer = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host();
    ctx.put(CLIENT_IP, client(peer, ctx.request().getHeader("X-Forwarded-For")));
    ctx.next();
  }

  String client(String peer, String forwardedFor) {
    if (peer == null || proxies.isEmpty() || !trusted(peer) || forwardedFor == null || forwardedFor.isBlank()) return peer;
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!isAddress(hop)) return peer;   // garbage in the header: do not guess
      if (!trusted(hop)) return hop;
    }
    return peer;
  }

  private boolean trusted(String address) {
    try {
      byte[] bytes = InetAddress.getByName(literal(address)).getAddress();
      return proxies.stream().anyMatch(c -> c.contains(bytes));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  // Compiled once: String.matches compiled both patterns on every request (~1 % of the event loops under load).
  private static final Pattern IPV4 = Pattern.compile("[0-9.]{7,15}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

  /** Only IP literals (never a name to resolve). */
  private static boolean isAddress(String s) {
    return IPV4.matcher(s).matches() || IPV6.matcher(s).matches() && s.contains(":");
  }

  private static String literal(String s) throws UnknownHostException {
    if (!isAddress(s)) throw new UnknownHostException(s);
    return s;
  }
}
