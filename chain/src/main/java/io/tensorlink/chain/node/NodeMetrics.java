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

  /** Registers a counter (a role's: verifications, votes); register each name once. */
  public Counter counter(final String name, final String help, final String... labelNames) {
    return Counter.builder().name(name).help(help).labelNames(labelNames).register(registry);
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
