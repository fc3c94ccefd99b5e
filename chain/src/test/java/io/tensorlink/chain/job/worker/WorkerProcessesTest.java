package io.tensorlink.chain.job.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.Links;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.compute.tensor.NamedTensors;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

/**
 * The 2×2 MLP job as four worker processes (child JVMs, one thread each) talking over loopback
 * libp2p: the records they print are LocalPipeline's, and every cell's final paramsRoot is the
 * single-process run's.
 */
class WorkerProcessesTest {
  private static final long LAST_STEP = 2;

  @Test
  void fourWorkerProcessesReproduceTheSingleProcessRun() throws Exception {
    final JobContext job = PolFixture.job(2, 2);
    final List<EthAddress> workers = job.assignment().workers();
    final List<Process> children = new ArrayList<>();
    final List<BlockingQueue<String>> lines = new ArrayList<>();
    try {
      for (final EthAddress w : workers) {
        final int keyIndex = TestKeys.ANVIL.stream().map(c -> EthAddress.of(c.getAddress())).toList().indexOf(w);
        final Process p = startWorker(Integer.toString(keyIndex), "2", Long.toString(LAST_STEP));
        children.add(p);
        lines.add(reader(p));
      }
      final List<String> addresses = new ArrayList<>();
      for (final BlockingQueue<String> q : lines) {
        addresses.add(expect(q, "ADDR ").substring("ADDR ".length()));
      }
      for (final Process p : children) {
        final PrintStream in = new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8);
        for (int i = 0; i < workers.size(); i++) {
          in.println("PEER " + workers.get(i) + " " + addresses.get(i));
        }
        in.println("GO");
      }
      final List<Bytes> records = new ArrayList<>();
      final List<String> roots = new ArrayList<>();
      for (final BlockingQueue<String> q : lines) {
        String line = expect(q, "");
        for (; line.startsWith("RECORD "); line = expect(q, "")) {
          records.add(Bytes.fromHexString(line.substring("RECORD ".length())));
        }
        assertThat(line).startsWith("ROOT ");
        roots.add(line.substring("ROOT ".length()));
      }
      for (int i = 0; i < children.size(); i++) {
        assertThat(children.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(children.get(i).exitValue()).isZero();
      }
      assertThat(records).containsExactlyInAnyOrderElementsOf(
          DistributedPipelineTest.wire(DistributedPipelineTest.localRecords(job, LAST_STEP)));
      final NamedTensors single = DistributedPipelineTest.singleProcess(job, LAST_STEP);
      for (int i = 0; i < workers.size(); i++) {
        final int stage = i / job.spec().replicas();
        assertThat(roots.get(i)).isEqualTo(Links.root(job.stages().get(stage).selectParams(single)).toHexString());
      }
    } finally {
      children.forEach(Process::destroyForcibly);
    }
  }

  /**
   * A worker JVM with this JVM's class path; unlike the store tests' ChildJvm it needs the vector
   * module (compute's GEMM) and the full JIT.
   */
  private static Process startWorker(final String... args) throws java.io.IOException {
    final List<String> command = new ArrayList<>(List.of(
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        WorkerProcessMain.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static BlockingQueue<String> reader(final Process p) {
    final BlockingQueue<String> q = new LinkedBlockingQueue<>();
    Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          q.add(line);
        }
      } catch (java.io.IOException e) {
        q.add("EOF " + e.getMessage());
      }
    });
    return q;
  }

  private static String expect(final BlockingQueue<String> q, final String prefix) throws InterruptedException {
    final String line = q.poll(120, TimeUnit.SECONDS);
    assertThat(line).as("a line starting with '%s' from a worker process", prefix).isNotNull().startsWith(prefix);
    return line;
  }
}
