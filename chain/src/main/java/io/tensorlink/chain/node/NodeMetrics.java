package io.tensorlink.chain.node;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;

/**
 * The node's Prometheus metrics: one registry per node (never the library's default registry,
 * so two nodes in one JVM, as in tests, keep separate counts), served on {@code /metrics}.
 */
public final class NodeMetrics implements AutoCloseable {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter messages = Counter.builder()
      .name("tl_gossip_messages_total").help("Gossip messages received by TensorLink topic handlers")
      .labelNames("topic").register(registry);
  private final Counter rejected = Counter.builder()
      .name("tl_rejected_messages_total").help("Messages dropped as malformed or badly signed")
      .labelNames("topic").register(registry);
  private final Counter steps = Counter.builder()
      .name("tl_steps_total").help("Training steps this node ran as a worker").register(registry);
  private final Counter records = Counter.builder()
      .name("tl_records_total").help("Step records received or published").register(registry);
  private final Counter verifications = Counter.builder()
      .name("tl_verifications_total").help("Sampled records re-executed by this node").register(registry);
  private final Counter blocks = Counter.builder()
      .name("tl_blocks_anchored_total").help("PoL blocks this node saw anchored").register(registry);
  private final Counter payouts = Counter.builder()
      .name("tl_payouts_wei_total").help("TL (wei) claimed by this node").register(registry);
  private HTTPServer server;

  /** Registers a gauge read on every scrape (peers, bytes). */
  public void gauge(final String name, final String help, final LongSupplier value) {
    GaugeWithCallback.builder().name(name).help(help)
        .callback(cb -> cb.call(value.getAsLong())).register(registry);
  }

  public void message(final String topic) {
    messages.labelValues(topic).inc();
  }

  public void rejected(final String topic) {
    rejected.labelValues(topic).inc();
  }

  public void step() {
    steps.inc();
  }

  public void record() {
    records.inc();
  }

  public void verification() {
    verifications.inc();
  }

  public void blockAnchored() {
    blocks.inc();
  }

  public void payout(final double wei) {
    payouts.inc(wei);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Serves {@code /metrics} on {@code address} (port 0: any free port); returns the bound port. */
  public int serve(final InetSocketAddress address) {
    try {
      server = HTTPServer.builder().inetAddress(address.getAddress()).port(address.getPort())
          .registry(registry).buildAndStart();
      return server.getPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + address + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
