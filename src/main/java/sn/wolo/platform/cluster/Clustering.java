package sn.wolo.platform.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.config.WoloConfig;

import java.util.Arrays;
import java.util.List;

/**
 * The event bus of one process, or of the whole fleet ({@code WOLO_CLUSTER=true}): a Hazelcast
 * cluster whose members find each other by a fixed member list (local, VMs) or by a Kubernetes
 * headless service ({@code WOLO_CLUSTER_KUBERNETES_SERVICE}); never multicast. Then a
 * {@code wolo.<domain>.*} address is served by whichever node deploys that domain, request/reply
 * crosses nodes and {@code publish} reaches them all.
 */
public final class Clustering {

  private static final Logger log = LoggerFactory.getLogger(Clustering.class);

  private Clustering() {
  }

  public static Future<Vertx> vertx(WoloConfig config, VertxBuilder builder, VertxOptions options) {
    if (!config.bool("cluster")) return Future.succeededFuture(builder.with(options).build());
    options.setEventBusOptions(new EventBusOptions().setHost(config.string("cluster-host"))
        .setPort(config.integer("cluster-bus-port")));
    return builder.with(options).withClusterManager(new HazelcastClusterManager(hazelcast(config))).buildClustered()
        .onSuccess(v -> log.info("clustered event bus: joined '{}' as {}", config.string("cluster-name"), config.string("cluster-host")));
  }

  static Config hazelcast(WoloConfig config) {
    Config hz = ConfigUtil.loadConfig();   // Vert.x's maps for subscriptions and locks
    hz.setClusterName(config.string("cluster-name"));
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.getNetworkConfig().setPort(config.integer("cluster-port")).setPortAutoIncrement(true);
    hz.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(config.string("cluster-host"));
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    var service = config.optional("cluster-kubernetes-service");
    if (service.isPresent()) {
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", service.get());
    } else {
      List<String> members = Arrays.stream(config.string("cluster-members").split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
      join.getTcpIpConfig().setEnabled(true).setMembers(members);
    }
    return hz;
  }
}
