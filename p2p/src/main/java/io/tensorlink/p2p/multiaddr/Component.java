package io.tensorlink.p2p.multiaddr;

import io.netty.util.NetUtil;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One {@code /protocol/value} pair of a multiaddr, holding the value in binary form. */
public record Component(Protocol protocol, byte[] value) {
  private static final int MAX_DNS_NAME = 255;

  public Component {
    value = value.clone();
    validate(protocol, value);
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** Builds a component from its text value, e.g. ({@code TCP}, {@code "4001"}). */
  public static Component fromText(final Protocol protocol, final String text) {
    return new Component(protocol, textToBytes(protocol, text));
  }

  public String valueText() {
    return switch (protocol) {
      case IP4 -> address().getHostAddress();
      case IP6 -> ip6Text();
      case TCP -> Integer.toString(port());
      case DNS, DNS4, DNS6 -> new String(value, StandardCharsets.UTF_8);
      case P2P -> PeerId.fromBytes(value).toBase58();
      case P2P_CIRCUIT -> "";
    };
  }

  /**
   * RFC 5952 text (longest zero run as {@code ::}, lower-case hex), as go and js print it. Built as
   * an {@link Inet6Address} so that a v4-mapped address stays in hex ({@code ::ffff:102:304}).
   */
  private String ip6Text() {
    try {
      return NetUtil.toAddressString(Inet6Address.getByAddress(null, value, -1));
    } catch (final UnknownHostException e) {
      throw new IllegalStateException("unreachable: length checked at construction", e);
    }
  }

  /** The port of a {@code tcp} component. */
  public int port() {
    if (protocol != Protocol.TCP) {
      throw new IllegalStateException(protocol.text() + " has no port");
    }
    return ((value[0] & 0xff) << 8) | (value[1] & 0xff);
  }

  /** The address of an {@code ip4}/{@code ip6} component. */
  public InetAddress address() {
    try {
      return InetAddress.getByAddress(value);
    } catch (final UnknownHostException e) {
      throw new IllegalStateException("unreachable: length checked at construction", e);
    }
  }

  private static byte[] textToBytes(final Protocol protocol, final String text) {
    return switch (protocol) {
      case IP4 -> parseIp(text, Inet4Address.class, 4);
      case IP6 -> parseIp(text, Inet6Address.class, 16);
      case TCP -> {
        final int port;
        try {
          port = Integer.parseInt(text);
        } catch (final NumberFormatException e) {
          throw new MultiaddrException("tcp port '" + text + "' is not a number");
        }
        if (port < 0 || port > 65535) {
          throw new MultiaddrException("tcp port " + port + " is out of range 0..65535");
        }
        yield new byte[] {(byte) (port >> 8), (byte) port};
      }
      case DNS, DNS4, DNS6 -> text.getBytes(StandardCharsets.UTF_8);
      case P2P_CIRCUIT -> throw new MultiaddrException("p2p-circuit takes no value");
      case P2P -> {
        try {
          yield PeerId.fromString(text).bytes();
        } catch (final MalformedInputException e) {
          throw new MultiaddrException("invalid p2p value '" + text + "': " + e.getMessage(), e);
        }
      }
    };
  }

  private static byte[] parseIp(final String text, final Class<? extends InetAddress> family, final int length) {
    // Only literals: InetAddress.getByName would otherwise resolve host names.
    final boolean literal =
        length == 4 ? text.matches("\\d{1,3}(\\.\\d{1,3}){3}") : text.matches("[0-9A-Fa-f:.]+") && text.contains(":");
    if (!literal) {
      throw new MultiaddrException("'" + text + "' is not an " + (length == 4 ? "IPv4" : "IPv6") + " literal");
    }
    try {
      final InetAddress addr = InetAddress.getByName(text);
      if (length == 16 && addr instanceof Inet4Address v4) {
        // Java folds ::ffff:a.b.c.d to IPv4; keep the IPv6 wire form.
        final byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
        return mapped;
      }
      if (!family.isInstance(addr)) {
        throw new MultiaddrException("'" + text + "' is not an " + (length == 4 ? "IPv4" : "IPv6") + " address");
      }
      return addr.getAddress();
    } catch (final UnknownHostException e) {
      throw new MultiaddrException("'" + text + "' is not a valid IP address", e);
    }
  }

  private static void validate(final Protocol protocol, final byte[] value) {
    if (protocol.size() != Protocol.VARIABLE && value.length != protocol.size()) {
      throw new MultiaddrException(
          protocol.text() + " value must be " + protocol.size() + " bytes, got " + value.length);
    }
    switch (protocol) {
      case DNS, DNS4, DNS6 -> {
        if (value.length == 0 || value.length > MAX_DNS_NAME) {
          throw new MultiaddrException(protocol.text() + " name must be 1.." + MAX_DNS_NAME + " bytes");
        }
        final String name = new String(value, StandardCharsets.UTF_8);
        if (name.indexOf('/') >= 0 || !Arrays.equals(name.getBytes(StandardCharsets.UTF_8), value)) {
          throw new MultiaddrException(protocol.text() + " name is not valid UTF-8 without '/'");
        }
      }
      case P2P -> {
        try {
          PeerId.fromBytes(value);
        } catch (final MalformedInputException e) {
          throw new MultiaddrException("invalid p2p value: " + e.getMessage(), e);
        }
      }
      default -> {}
    }
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof Component c && c.protocol == protocol && Arrays.equals(c.value, value);
  }

  @Override
  public int hashCode() {
    return protocol.hashCode() * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return protocol.size() == 0 ? "/" + protocol.text() : "/" + protocol.text() + "/" + valueText();
  }
}
