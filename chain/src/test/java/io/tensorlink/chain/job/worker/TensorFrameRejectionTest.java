package io.tensorlink.chain.job.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.chain.job.tensor.FrameHeader;
import io.tensorlink.chain.job.tensor.FrameKind;
import io.tensorlink.chain.job.tensor.TensorEndpoint;
import io.tensorlink.chain.job.tensor.TensorFrames;
import io.tensorlink.chain.pol.wire.TensorCodec;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.compute.tensor.Tensor;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.protocol.tensor.BulkChannel;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.BulkMessageListener;
import io.tensorlink.p2p.protocol.tensor.TensorLinkProtocols;
import io.tensorlink.p2p.transport.Hosts;
import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bad frames sent to stage 1 replica 0 of a running 2×2 job, each on its own stream, from a peer
 * with no binding, from bound peers that are not its neighbour, and from its real neighbour with a
 * malformed header or payload, a wrong shape, an oversized tensor and a far step. Each is refused
 * with its reason logged; a frame for a job the node does not run (yet) is held, not delivered; then the job runs and its records are still bitwise
 * LocalPipeline's.
 */
class TensorFrameRejectionTest {

  @Test
  void badFramesAreRefusedAndTheJobFinishesUnaffected() throws Exception {
    final JobContext job = PolFixture.job(2, 2);
    try (WorkerCluster cluster = new WorkerCluster(job,
        i -> WorkerOptions.defaults().withFrameTimeout(Duration.ofSeconds(20)));
        Host stranger = Hosts.create(HostConfig.loopback())) {
      stranger.start().orTimeout(30, TimeUnit.SECONDS).join();
      final Multiaddr target = cluster.bindings.address(job.assignment().worker(1, 0)).orElseThrow();
      final TensorEndpoint victim = cluster.endpoint(1, 0);
      final Host neighbour = cluster.host(0, 0);
      final BigInteger id = job.jobId();
      final byte[] activation = payload(4, 512);

      send(victim, stranger, target, header(id, 0, 0, 0), activation, "has no node binding");
      send(victim, cluster.host(1, 1), target, header(id, 0, 1, 1), activation,
          "ACTIVATION from stage 1 replica 1 is not for stage 1 replica 0");
      send(victim, cluster.host(0, 1), target, header(id, 0, 0, 0), activation,
          "is not " + job.assignment().worker(0, 0) + ", the worker assigned to stage 0 replica 0");
      send(victim, neighbour, target, new byte[10], activation, "frame header has 10 bytes, expected 54");
      send(victim, neighbour, target, header(id, 0, 0, 0), new byte[] {1, 2, 3}, "TensorSet");
      send(victim, neighbour, target, header(id, 0, 0, 0), payload(3, 512),
          "ACTIVATION of shape [3, 512], expected [4, 512]");
      send(victim, neighbour, target, header(id, 0, 0, 0), payload(400, 512), "is larger than its");
      sendEarly(victim, neighbour, target, header(BigInteger.valueOf(99), 0, 0, 0), activation);
      send(victim, neighbour, target, header(id, 7, 0, 0), activation, "frame for step 7 while at step 0");

      cluster.runThrough(DistributedPipelineTest.LAST_STEP);
      assertThat(DistributedPipelineTest.wire(cluster.records())).containsExactlyElementsOf(
          DistributedPipelineTest.wire(DistributedPipelineTest.localRecords(job, DistributedPipelineTest.LAST_STEP)));
      assertThat(victim.rejections()).hasSize(8);
      assertThat(victim.heldFrames()).isOne(); // job 99's frame waits for a job that never comes
    }
  }

  private static byte[] header(final BigInteger jobId, final long step, final int stage, final int replica) {
    return new FrameHeader(jobId, step, 0, FrameKind.ACTIVATION, stage, replica).encode();
  }

  private static byte[] payload(final int rows, final int cols) {
    return TensorCodec.encode(TensorFrames.link(Tensor.zeros(rows, cols))).toArrayUnsafe();
  }

  /** Sends one raw bulk message on a new stream and waits until the victim has logged one more refusal. */
  private static void send(final TensorEndpoint victim, final Host from, final Multiaddr to, final byte[] metadata,
      final byte[] body, final String reason) throws InterruptedException {
    final int before = victim.rejections().size();
    open(from, to).send(metadata, Unpooled.wrappedBuffer(body));
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (victim.rejections().size() == before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(victim.rejections()).hasSize(before + 1);
    assertThat(victim.rejections().getLast()).contains(reason);
  }

  /** Sends a frame for a job the victim does not run and waits until it is held (and not refused). */
  private static void sendEarly(final TensorEndpoint victim, final Host from, final Multiaddr to,
      final byte[] metadata, final byte[] body) throws InterruptedException {
    final int before = victim.rejections().size();
    open(from, to).send(metadata, Unpooled.wrappedBuffer(body));
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (victim.heldFrames() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(victim.heldFrames()).isOne();
    assertThat(victim.rejections()).hasSize(before);
  }

  private static BulkChannel open(final Host from, final Multiaddr to) {
    return from.dial(to).thenCompose(c -> c.newStream(TensorLinkProtocols.TENSOR))
        .thenApply(s -> BulkChannel.attach(s, new BulkLimits(4096, 1, 0), new BulkMessageListener() {
          @Override
          public void onStart(final BulkChannel c, final byte[] m) {}

          @Override
          public void onChunk(final BulkChannel c, final ByteBuf chunk) {}

          @Override
          public void onEnd(final BulkChannel c, final long total) {}
        })).orTimeout(10, TimeUnit.SECONDS).join();
  }
}
