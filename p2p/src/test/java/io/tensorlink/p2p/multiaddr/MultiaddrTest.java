package io.tensorlink.p2p.multiaddr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.p2p.peer.PeerId;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MultiaddrTest {
  private static final HexFormat HEX = HexFormat.of();

  /** Text and binary forms from the multiaddr test suites (go-multiaddr / js-multiaddr). */
  @ParameterizedTest
  @CsvSource({
    "/ip4/127.0.0.1/tcp/4001, 047f000001060fa1",
    "/ip4/1.2.3.4/tcp/0, 040102030406" + "0000",
    "/ip6/::1/tcp/80, 29000000000000000000000000000000010600" + "50",
    "/dns4/example.com/tcp/443, 360b6578616d706c652e636f6d0601bb",
    "/dns/localhost/tcp/1, 35096c6f63616c686f7374060001",
    "/dns6/h/tcp/2, 3701680600" + "02",
    "/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq, a503260024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e",
    "/ip4/1.2.3.4/tcp/1/p2p-circuit, 04010203040600" + "01a202",
  })
  void shouldConvertBetweenTextAndBinary(final String text, final String hex) {
    final Multiaddr fromText = Multiaddr.parse(text);
    assertThat(HEX.formatHex(fromText.bytes())).isEqualTo(hex);
    final Multiaddr fromBytes = Multiaddr.fromBytes(HEX.parseHex(hex));
    assertThat(fromBytes).isEqualTo(fromText);
    assertThat(fromBytes.toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({"/ip6/2001:db8::1/tcp/1", "/ip6/::/tcp/1", "/ip6/fe80:0:0:1::1/tcp/1", "/ip6/1:0:2::3:0:0/tcp/1", "/ip6/::ffff:1.2.3.4/tcp/1"})
  void shouldPrintIpv6Canonically(final String text) {
    final String expected = text.equals("/ip6/::ffff:1.2.3.4/tcp/1") ? "/ip6/::ffff:102:304/tcp/1" : text;
    assertThat(Multiaddr.parse(text).toString()).isEqualTo(expected);
    assertThat(Multiaddr.fromBytes(Multiaddr.parse(text).bytes()).toString()).isEqualTo(expected);
  }

  @Test
  void shouldAcceptIpfsAliasAndTrailingSlash() {
    final Multiaddr a = Multiaddr.parse("/ip4/10.0.0.1/tcp/5/ipfs/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N/");
    assertThat(a.toString()).isEqualTo("/ip4/10.0.0.1/tcp/5/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    assertThat(a.peerId()).contains(PeerId.fromString("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N"));
    assertThat(a.withoutPeerId().toString()).isEqualTo("/ip4/10.0.0.1/tcp/5");
  }

  @Test
  void shouldConvertToSocketAddresses() {
    assertThat(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001").toTcpSocketAddress())
        .isEqualTo(new InetSocketAddress("127.0.0.1", 4001));
    final InetSocketAddress dns = Multiaddr.parse("/dns4/example.com/tcp/1").toTcpSocketAddress();
    assertThat(dns.isUnresolved()).isTrue();
    assertThat(dns.getHostString()).isEqualTo("example.com");
    assertThat(Multiaddr.fromSocketAddress(new InetSocketAddress("127.0.0.1", 9))).isEqualTo(Multiaddr.parse("/ip4/127.0.0.1/tcp/9"));
    assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4").toTcpSocketAddress()).hasMessageContaining("not a TCP address");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ip4/1.2.3.4 | must start with '/'",
        "/ip4/1.2.3 | not an IPv4 literal",
        "/ip4/256.1.1.1 | not a valid IP address",
        "/ip4/example.com | not an IPv4 literal",
        "/ip6/1.2.3.4 | not an IPv6 literal",
        "/tcp/70000 | out of range",
        "/tcp/http | not a number",
        "/udp/53 | unknown protocol 'udp'",
        "/ip4/1.2.3.4/tcp | lacks a value",
        "/p2p/notapeer | invalid p2p value",
        "/dns4/ | lacks a value",
        "/ | unknown protocol ''",
        "/ip6/fe80::1/tcp/1/x | unknown protocol 'x'",
      })
  void shouldNameTheDefectInBadText(final String text, final String message) {
    assertThatThrownBy(() -> Multiaddr.parse(text)).isInstanceOf(MultiaddrException.class).hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "047f0000 | ip4 value needs 4 bytes",
        "06 | tcp value needs 2 bytes",
        "8080 | truncated varint",
        "ff01 | unknown protocol code",
        "3505616263 | dns value needs 5 bytes",
        "a50302ffff | invalid p2p value",
        "'' | no components",
      })
  void shouldNameTheDefectInBadBinary(final String hex, final String message) {
    assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex(hex))).isInstanceOf(MultiaddrException.class).hasMessageContaining(message);
  }
}
