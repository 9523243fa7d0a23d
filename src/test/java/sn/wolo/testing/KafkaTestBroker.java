package sn.wolo.testing;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Features;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** A real single-node Kafka broker (KRaft, kafka_2.13 3.9) inside the test JVM, on random ports. */
public final class KafkaTestBroker implements AutoCloseable {

  private KafkaRaftServer server;
  private final KafkaConfig config;
  private final String bootstrap;

  private KafkaTestBroker(KafkaRaftServer server, KafkaConfig config, String bootstrap) {
    this.server = server;
    this.config = config;
    this.bootstrap = bootstrap;
  }

  public static KafkaTestBroker start() {
    try {
      int brokerPort = freePort();
      int controllerPort = freePort();
      Path logDir = Files.createTempDirectory("kafka-test-");
      Properties p = new Properties();
      p.put("process.roles", "broker,controller");
      p.put("node.id", "1");
      p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
      p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
      p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
      p.put("controller.listener.names", "CONTROLLER");
      p.put("inter.broker.listener.name", "PLAINTEXT");
      p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      p.put("log.dirs", logDir.toString());
      p.put("offsets.topic.replication.factor", "1");
      p.put("offsets.topic.num.partitions", "1");
      p.put("transaction.state.log.replication.factor", "1");
      p.put("transaction.state.log.min.isr", "1");
      p.put("group.initial.rebalance.delay.ms", "0");
      p.put("auto.create.topics.enable", "true");
      p.put("num.partitions", "3");
      KafkaConfig config = KafkaConfig.fromProps(p, false);

      new Formatter()
          .setClusterId(Uuid.randomUuid().toString())
          .setNodeId(1)
          .setDirectories(java.util.List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setSupportedFeatures(Features.PRODUCTION_FEATURES)
          .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
          .run();

      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      return new KafkaTestBroker(server, config, "127.0.0.1:" + brokerPort);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the in-JVM Kafka broker", e);
    }
  }

  public String bootstrap() {
    return bootstrap;
  }

  /** Stops the broker (an outage); {@link #restart} brings it back on the same ports and data. */
  public synchronized void stop() {
    if (server == null) return;
    server.shutdown();
    server.awaitShutdown();
    server = null;
  }

  public synchronized void restart() {
    if (server != null) return;
    server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
  }

  @Override
  public void close() {
    stop();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
