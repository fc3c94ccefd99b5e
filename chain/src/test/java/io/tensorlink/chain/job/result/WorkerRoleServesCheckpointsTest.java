package io.tensorlink.chain.job.result;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.job.worker.WorkerOptions;
import io.tensorlink.chain.node.WorkerRole;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.GossipsubConfig;
import io.tensorlink.p2p.transport.Hosts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker role that writes checkpoints serves them on {@code /tl/checkpoint/1.0.0} until it is closed. */
class WorkerRoleServesCheckpointsTest {
  @TempDir Path dir;

  @Test
  void theRoleRegistersTheCheckpointProtocolOnlyWithACheckpointDirectory() {
    final Host host = Hosts.create(HostConfig.loopback());
    try {
      host.start().orTimeout(30, TimeUnit.SECONDS).join();
      final Gossipsub gossip = new Gossipsub(host, GossipsubConfig.builder().build());
      try (WorkerRole without = role(host, gossip, WorkerOptions.defaults())) {
        assertThat(host.protocols()).doesNotContain(CheckpointMessages.PROTOCOL);
      }
      final WorkerRole with = role(host, gossip, WorkerOptions.defaults().withCheckpoints(dir, 4));
      assertThat(host.protocols()).contains(CheckpointMessages.PROTOCOL);
      with.close();
      assertThat(host.protocols()).doesNotContain(CheckpointMessages.PROTOCOL);
    } finally {
      host.close();
    }
  }

  private static WorkerRole role(final Host host, final Gossipsub gossip, final WorkerOptions worker) {
    return new WorkerRole(host, gossip, TestKeys.ANVIL.get(0), 31337, new WorkerRole.Options(1, worker, Optional.empty(),
        Duration.ofSeconds(1), Duration.ofSeconds(1)), a -> null);
  }
}
