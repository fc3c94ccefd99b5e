package io.tensorlink.chain.validator;

import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.transport.Hosts;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.pubsub.Gossipsub;
import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.web3j.crypto.Credentials;

/** Publishes step records for a job on {@code /tl/steps/1/<jobId>} from its own loopback host. */
final class Worker implements AutoCloseable {
  final Host host;
  final Gossipsub gossip;

  Worker() {
    this.host = Hosts.create(HostConfig.loopback());
    host.start().orTimeout(10, TimeUnit.SECONDS).join();
    this.gossip = new Gossipsub(host, ValidatorNode.GOSSIP).start();
  }

  void dial(final ValidatorNode node) {
    host.dial(node.host.listenAddresses().get(0).withPeerId(node.host.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** Waits until {@code subscribers} peers subscribe to the job's steps topic. */
  void awaitSubscribers(final BigInteger jobId, final int subscribers) {
    await(() -> gossip.topicPeers(PolTransport.stepsTopic(jobId)).join().size() >= subscribers, Duration.ofSeconds(30),
        subscribers + " subscribers to job " + jobId + "'s steps");
  }

  /** Publishes one record's wire form on the job's steps topic. */
  void publish(final BigInteger jobId, final byte[] record) {
    gossip.publish(PolTransport.stepsTopic(jobId), record).join();
  }

  /** Publishes both stages' records of steps [from, to); {@code fraudAt} (or -1) gets a fraudulent payload at stage 1. */
  void publishSteps(final BigInteger jobId, final Credentials stage0, final Credentials stage1, final long from, final long to,
      final long fraudAt) {
    for (long step = from; step < to; step++) {
      gossip.publish(PolTransport.stepsTopic(jobId), TestProtocol.record(jobId, step, 0, stage0.getAddress(), "s0@" + step)).join();
      gossip.publish(PolTransport.stepsTopic(jobId),
          TestProtocol.record(jobId, step, 1, stage1.getAddress(), (step == fraudAt ? "fraud@" : "s1@") + step)).join();
    }
  }

  static void await(final BooleanSupplier condition, final Duration timeout, final String what) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  @Override
  public void close() {
    gossip.close();
    host.close();
  }
}
