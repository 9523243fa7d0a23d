package sn.wolo.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU seconds spent between two points of a benchmark: the whole machine's busy time (JVM with the
 * load generator, PostgreSQL, everything else — from {@code /proc/stat}) and this JVM's alone.
 */
record CpuMeter(double machineSeconds, double jvmSeconds) {

  /** {@code /proc/stat} counts in USER_HZ ticks, 100 per second on Linux. */
  private static final double TICKS_PER_SECOND = 100.0;

  static CpuMeter now() {
    return new CpuMeter(readMachineBusy(), readJvm());
  }

  /** The CPU spent since {@code start}. */
  CpuMeter since(CpuMeter start) {
    return new CpuMeter(machineSeconds - start.machineSeconds, jvmSeconds - start.jvmSeconds);
  }

  String perThousand(long units, String what) {
    return String.format("%.2f s per 1,000 %s on the whole machine (server, PostgreSQL, load generator), of which this JVM %.2f s",
        1000 * machineSeconds / units, what, 1000 * jvmSeconds / units);
  }

  private static double readJvm() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  /** user + nice + system + irq + softirq + steal of the "cpu" line (idle and iowait excluded); NaN off Linux. */
  private static double readMachineBusy() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7])
          + (f.length > 8 ? Long.parseLong(f[8]) : 0);
      return busy / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
