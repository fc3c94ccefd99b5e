package io.tensorlink.p2p.multiaddr;

import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Uvarint;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A multiaddr such as {@code /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…}, in text and binary form.
 * Supports ip4, ip6, tcp, dns, dns4, dns6 and p2p. Immutable; parsing errors throw {@link
 * MultiaddrException} naming the defect.
 */
public final class Multiaddr {
  /** Binary multiaddrs from the network larger than this are rejected before parsing. */
  public static final int MAX_BYTES = 1024;

  private final List<Component> components;

  private Multiaddr(final List<Component> components) {
    if (components.isEmpty()) {
      throw new MultiaddrException("multiaddr has no components");
    }
    this.components = List.copyOf(components);
  }

  public static Multiaddr parse(final String text) {
    if (text.isEmpty() || text.charAt(0) != '/') {
      throw new MultiaddrException("multiaddr '" + text + "' must start with '/'");
    }
    final String[] parts = text.substring(1).split("/", -1);
    final List<Component> out = new ArrayList<>();
    int i = 0;
    // A trailing slash leaves one empty part; tolerate it like other implementations do.
    final int end = parts.length > 1 && parts[parts.length - 1].isEmpty() ? parts.length - 1 : parts.length;
    while (i < end) {
      final String name = parts[i++];
      final Protocol protocol =
          Protocol.byName(name)
              .orElseThrow(() -> new MultiaddrException("unknown protocol '" + name + "' in multiaddr '" + text + "'"));
      if (protocol.size() == 0) {
        out.add(new Component(protocol, new byte[0]));
        continue;
      }
      if (i >= end) {
        throw new MultiaddrException("protocol '" + name + "' in multiaddr '" + text + "' lacks a value");
      }
      out.add(Component.fromText(protocol, parts[i++]));
    }
    return new Multiaddr(out);
  }

  public static Multiaddr fromBytes(final byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      throw new MultiaddrException("binary multiaddr of " + bytes.length + " bytes exceeds " + MAX_BYTES);
    }
    final List<Component> out = new ArrayList<>();
    final int[] pos = {0};
    try {
      while (pos[0] < bytes.length) {
        final long code = Uvarint.read(bytes, pos);
        final Protocol protocol =
            Protocol.byCode(code).orElseThrow(() -> new MultiaddrException("unknown protocol code " + code));
        final long size = protocol.size() == Protocol.VARIABLE ? Uvarint.read(bytes, pos) : protocol.size();
        if (size > bytes.length - pos[0]) {
          throw new MultiaddrException(
              protocol.text() + " value needs " + size + " bytes, only " + (bytes.length - pos[0]) + " left");
        }
        final byte[] value = java.util.Arrays.copyOfRange(bytes, pos[0], pos[0] + (int) size);
        pos[0] += (int) size;
        out.add(new Component(protocol, value));
      }
    } catch (final MultiaddrException e) {
      throw e;
    } catch (final MalformedInputException e) {
      throw new MultiaddrException("malformed binary multiaddr: " + e.getMessage(), e);
    }
    return new Multiaddr(out);
  }

  /** {@code /ip4/…/tcp/port} (or ip6) for a socket address. */
  public static Multiaddr fromSocketAddress(final InetSocketAddress address) {
    final byte[] ip = address.getAddress().getAddress();
    return new Multiaddr(
        List.of(
            new Component(ip.length == 4 ? Protocol.IP4 : Protocol.IP6, ip),
            Component.fromText(Protocol.TCP, Integer.toString(address.getPort()))));
  }

  public byte[] bytes() {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (final Component c : components) {
      out.writeBytes(Uvarint.encode(c.protocol().code()));
      final byte[] value = c.value();
      if (c.protocol().size() == Protocol.VARIABLE) {
        out.writeBytes(Uvarint.encode(value.length));
      }
      out.writeBytes(value);
    }
    return out.toByteArray();
  }

  public List<Component> components() {
    return components;
  }

  /** Whether this is a circuit address ({@code …/p2p-circuit…}), reached through a relay. */
  public boolean isRelayed() {
    return components.stream().anyMatch(c -> c.protocol() == Protocol.P2P_CIRCUIT);
  }

  /** The peer ID of a trailing {@code /p2p/…}, if present. */
  public Optional<PeerId> peerId() {
    final Component last = components.get(components.size() - 1);
    return last.protocol() == Protocol.P2P ? Optional.of(PeerId.fromBytes(last.value())) : Optional.empty();
  }

  public Multiaddr withPeerId(final PeerId peer) {
    final List<Component> out = new ArrayList<>(withoutPeerIdComponents());
    out.add(new Component(Protocol.P2P, peer.bytes()));
    return new Multiaddr(out);
  }

  public Multiaddr withoutPeerId() {
    return new Multiaddr(withoutPeerIdComponents());
  }

  private List<Component> withoutPeerIdComponents() {
    final List<Component> out = new ArrayList<>(components);
    if (out.get(out.size() - 1).protocol() == Protocol.P2P) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /**
   * The TCP endpoint ({@code ip4|ip6|dns|dns4|dns6} then {@code tcp}) as an unresolved-if-DNS socket
   * address.
   */
  public InetSocketAddress toTcpSocketAddress() {
    if (components.size() < 2 || components.get(1).protocol() != Protocol.TCP) {
      throw new MultiaddrException("multiaddr " + this + " is not a TCP address (expected /ip4|ip6|dns*/…/tcp/…)");
    }
    final Component host = components.get(0);
    final int port = components.get(1).port();
    return switch (host.protocol()) {
      case IP4, IP6 -> new InetSocketAddress(host.address(), port);
      case DNS, DNS4, DNS6 -> InetSocketAddress.createUnresolved(host.valueText(), port);
      default -> throw new MultiaddrException("multiaddr " + this + " does not start with a host component");
    };
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof Multiaddr m && m.components.equals(components);
  }

  @Override
  public int hashCode() {
    return components.hashCode();
  }

  @Override
  public String toString() {
    final StringBuilder sb = new StringBuilder();
    components.forEach(sb::append);
    return sb.toString();
  }
}
