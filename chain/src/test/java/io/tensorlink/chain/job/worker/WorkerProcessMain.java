package io.tensorlink.chain.job.worker;

import io.tensorlink.chain.job.tensor.PeerBindings;
import io.tensorlink.chain.job.tensor.TensorEndpoint;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.Links;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.transport.Hosts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;

/**
 * One worker process of {@link WorkerProcessesTest}: {@code <anvil key index> <micro-batches> <last step>}.
 * Prints {@code ADDR <multiaddr>}, reads {@code PEER <account> <multiaddr>} lines until {@code GO},
 * trains its cell of the 2×2 fixture job, and prints {@code RECORD <hex>} per step, then
 * {@code ROOT <paramsRoot>} and {@code DONE}. Logs go to stderr.
 */
public final class WorkerProcessMain {
  private WorkerProcessMain() {}

  public static void main(final String[] args) throws Exception {
    final Credentials key = TestKeys.ANVIL.get(Integer.parseInt(args[0]));
    final int microBatches = Integer.parseInt(args[1]);
    final long lastStep = Long.parseLong(args[2]);
    final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    final JobContext job = PolFixture.job(2, 2);
    try (Host host = Hosts.create(HostConfig.loopback()); CpuBackend cpu = CpuBackend.withThreads(1)) {
      host.start().orTimeout(30, TimeUnit.SECONDS).join();
      out.println("ADDR " + host.listenAddresses().get(0).withPeerId(host.peerId()));
      final Map<EthAddress, Multiaddr> peers = new HashMap<>();
      final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); !"GO".equals(line); line = in.readLine()) {
        final String[] p = line.split(" ");
        peers.put(EthAddress.of(p[1]), Multiaddr.parse(p[2]));
      }
      try (TensorEndpoint endpoint = new TensorEndpoint(host);
          WorkerRuntime worker = new WorkerRuntime(job, key, cpu, endpoint, PeerBindings.of(peers),
              r -> out.println("RECORD " + PolCodec.encode(r).toHexString()),
              WorkerOptions.defaults().withMicroBatches(microBatches).withFrameTimeout(Duration.ofSeconds(60)))) {
        worker.runThrough(lastStep);
        out.println("ROOT " + Links.root(worker.params()).toHexString());
      }
    }
    out.println("DONE");
    System.exit(0);
  }
}
