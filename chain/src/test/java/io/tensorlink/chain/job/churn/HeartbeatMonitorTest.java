package io.tensorlink.chain.job.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.job.tensor.PeerBindings;
import io.tensorlink.chain.job.worker.Heartbeat;
import io.tensorlink.chain.job.worker.HeartbeatPublisher;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.GossipsubConfig;
import io.tensorlink.p2p.transport.Hosts;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three real hosts over gossipsub: a bound worker that beats stays alive; a bound worker that is
 * silent is declared gone, even while an unbound peer publishes heartbeats claiming its cell.
 */
class HeartbeatMonitorTest {
  private static final BigInteger JOB = BigInteger.valueOf(5);
  private static final Duration PERIOD = Duration.ofMillis(100);

  @Test
  void onlyTheBoundAuthorsHeartbeatsKeepAnAccountAlive() throws Exception {
    final EthAddress beating = TestKeys.address(0);
    final EthAddress silent = TestKeys.address(1);
    final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    try (Host watcher = started(); Host worker = started(); Host impostor = started()) {
      final GossipsubConfig config = GossipsubConfig.builder().heartbeatInterval(Duration.ofMillis(100)).build();
      try (Gossipsub gw = new Gossipsub(watcher, config).start(); Gossipsub gb = new Gossipsub(worker, config).start();
          Gossipsub gi = new Gossipsub(impostor, config).start()) {
        worker.dial(watcher.listenAddresses().get(0).withPeerId(watcher.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
        impostor.dial(watcher.listenAddresses().get(0).withPeerId(watcher.peerId())).orTimeout(10, TimeUnit.SECONDS)
            .join();
        // the impostor's peer is bound to no account: its beats (claiming the silent worker's cell) count for nobody
        final PeerBindings bindings = PeerBindings.of(Map.of(
            beating, worker.listenAddresses().get(0).withPeerId(worker.peerId())));
        try (HeartbeatPublisher b = new HeartbeatPublisher(gb, timer, PERIOD, JOB,
            () -> new Heartbeat(JOB, 0, 0, 3, System.currentTimeMillis()));
            HeartbeatPublisher i = new HeartbeatPublisher(gi, timer, PERIOD, JOB,
                () -> new Heartbeat(JOB, 1, 0, 3, System.currentTimeMillis()));
            HeartbeatMonitor monitor = new HeartbeatMonitor(gw, timer, JOB, List.of(beating, silent), bindings,
                PERIOD, 10, Clock.systemUTC())) {
          final CompletableFuture<EthAddress> gone = new CompletableFuture<>();
          monitor.onGone(gone::complete);
          assertThat(gone.get(20, TimeUnit.SECONDS)).isEqualTo(silent);
          Thread.sleep(PERIOD.toMillis() * 15); // past the beating worker's window too
          assertThat(monitor.gone()).containsExactly(silent);
          assertThat(monitor.latest(beating)).hasValueSatisfying(s -> assertThat(s.heartbeat().nextStep()).isEqualTo(3));
          assertThat(monitor.latest(silent)).isEmpty(); // the impostor's beats are nobody's

          // out for another reason (slashed, say): a beating worker is declared gone once, listeners told
          final CompletableFuture<EthAddress> replaced = new CompletableFuture<>();
          monitor.onGone(a -> {
            if (a.equals(beating)) {
              replaced.complete(a);
            }
          });
          assertThat(monitor.declareGone(beating, "slashed")).isTrue();
          assertThat(replaced.get(5, TimeUnit.SECONDS)).isEqualTo(beating);
          assertThat(monitor.declareGone(beating, "slashed again")).isFalse();
          assertThat(monitor.declareGone(TestKeys.address(5), "not watched")).isFalse();
          assertThat(monitor.gone()).containsExactlyInAnyOrder(silent, beating);
        }
      }
    } finally {
      timer.shutdownNow();
    }
    assertThatThrownBy(() -> new HeartbeatMonitor(null, null, JOB, List.of(), null, PERIOD, 1, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2");
  }

  private static Host started() {
    final Host h = Hosts.create(HostConfig.loopback());
    h.start().orTimeout(30, TimeUnit.SECONDS).join();
    return h;
  }
}
