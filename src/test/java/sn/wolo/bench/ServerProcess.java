package sn.wolo.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.tools.attach.VirtualMachine;
import sn.wolo.testing.ChildServer;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.File;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A server under measurement in a JVM of its own, apart from the load generator's: each JVM's JIT
 * compiler settles on its own code (sharing one JVM, the client's and the server's Netty and Jackson
 * kept deoptimising each other), and the CPU each side spends is read apart. The benchmark reads the
 * child's compiler and CPU time through its platform MBeans (the JDK's attach API, local only).
 */
final class ServerProcess implements AutoCloseable {

  private final ChildServer child;
  private final JMXConnector jmx;
  private final CompilationMXBean compiler;
  private final OperatingSystemMXBean os;

  private ServerProcess(ChildServer child, JMXConnector jmx, MBeanServerConnection mbeans) throws Exception {
    this.child = child;
    this.jmx = jmx;
    this.compiler = ManagementFactory.newPlatformMXBeanProxy(mbeans, ManagementFactory.COMPILATION_MXBEAN_NAME, CompilationMXBean.class);
    this.os = ManagementFactory.newPlatformMXBeanProxy(mbeans, ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME, OperatingSystemMXBean.class);
  }

  /** WOLO ({@code sn.wolo.Wolo}, the jar's main class) with these WOLO_* variables, once it reports ready. */
  static ServerProcess wolo(String name, Map<String, String> env, String... jvmOptions) throws Exception {
    return start(name, "sn.wolo.Wolo", List.of(), env, List.of(jvmOptions));
  }

  /** {@code mainClass args…} with these WOLO_* variables (WOLO_HTTP_PORT among them), once its {@code /health/ready} answers 200. */
  static ServerProcess start(String name, String mainClass, List<String> args, Map<String, String> env, List<String> jvmOptions) throws Exception {
    Path dir = Path.of("target", "tmp", "bench-server").toAbsolutePath();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
        "-Duser.home=" + dir, "-Djava.io.tmpdir=" + dir, "-Dlogback.configurationFile=logback-bench.xml"));
    command.addAll(jvmOptions);
    // -Dbench.server-options="…" adds JVM options to the servers under measurement (a profiler, a heap size)
    String extra = System.getProperty("bench.server-options", "").trim();
    if (!extra.isEmpty()) command.addAll(List.of(extra.split("\\s+")));
    command.addAll(List.of("-cp", classpath(), mainClass));
    command.addAll(args);
    java.nio.file.Files.createDirectories(dir);
    ChildServer child = ChildServer.spawn(name, command, env);
    try {
      child.awaitReady(Duration.ofSeconds(120));
      VirtualMachine vm = VirtualMachine.attach(String.valueOf(child.pid()));
      String address;
      try {
        address = vm.startLocalManagementAgent();
      } finally {
        vm.detach();
      }
      JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
      return new ServerProcess(child, jmx, jmx.getMBeanServerConnection());
    } catch (Exception | AssertionError e) {
      child.close();
      throw e;
    }
  }

  int port() {
    return child.port();
  }

  /** Milliseconds the child's JIT compiler has spent compiling since it started. */
  long compiledMillis() {
    return compiler.getTotalCompilationTime();
  }

  /** CPU seconds the child has used since it started. */
  double cpuSeconds() {
    return os.getProcessCpuTime() / 1e9;
  }

  /** Prints how many of the child's log lines were at WARN or ERROR, and the first few: what went wrong while measuring. */
  void printWarnings() {
    List<String> lines = child.output().lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
    System.out.printf("server:   %d log lines at WARN or ERROR%s%n", lines.size(), lines.isEmpty() ? "" : ", the first:");
    lines.stream().limit(5).forEach(l -> System.out.println("          " + l));
  }

  /**
   * The classpath the benchmark runs with: under {@code mvn exec:java} the project's classes and
   * dependencies are in the context class loader, not in {@code java.class.path} (Maven's own).
   */
  private static String classpath() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
      return Stream.of(urls.getURLs()).map(ServerProcess::file).collect(Collectors.joining(File.pathSeparator));
    }
    return System.getProperty("java.class.path");
  }

  private static String file(URL url) {
    try {
      return Path.of(url.toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("not a file on the classpath: " + url, e);
    }
  }

  @Override
  public void close() {
    try {
      jmx.close();
    } catch (java.io.IOException e) {
      // the child is stopping anyway
    }
    child.close();
  }
}
