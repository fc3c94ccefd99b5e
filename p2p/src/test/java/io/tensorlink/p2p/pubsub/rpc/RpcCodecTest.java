package io.tensorlink.p2p.pubsub.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.pubsub.JsGolden;
import io.tensorlink.p2p.util.MalformedInputException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RpcCodecTest {
  private final JsGolden golden = JsGolden.load();

  @Test
  void decodesJsControlRpcAndEncodesItBackByteForByte() {
    final Rpc rpc = RpcCodec.decode(golden.controlRpcBytes());

    assertThat(rpc.subscriptions()).containsExactly(new SubOpts(true, "/tl/jobs/1"), new SubOpts(false, "old"));
    final ControlMessage c = rpc.control();
    assertThat(c.ihave()).containsExactly(
        new ControlIHave("/tl/jobs/1", List.of(bytes("0102"), bytes("ff"))));
    assertThat(c.iwant()).containsExactly(new ControlIWant(List.of(bytes("0a0b0c"))));
    assertThat(c.graft()).containsExactly(new ControlGraft("/tl/pol/1"));
    assertThat(c.prune()).containsExactly(
        new ControlPrune("/tl/assign/1", List.of(PeerInfo.of(bytes("0024080112"))), OptionalLong.of(60)));
    assertThat(c.idontwant()).containsExactly(new ControlIDontWant(List.of(bytes("beef"))));
    assertThat(RpcCodec.encode(rpc)).isEqualTo(golden.controlRpcBytes());
  }

  @Test
  void decodesJsSignedMessagesAndKeepsTheirWireBytes() {
    for (final Map<String, String> v : golden.signed()) {
      final Rpc rpc = RpcCodec.decode(JsGolden.hex(v.get("rpcBytes")));
      assertThat(rpc.messages()).hasSize(1);
      final PubsubMessage m = rpc.messages().getFirst();
      assertThat(m.topic()).isEqualTo(v.get("topic"));
      assertThat(m.data()).isEqualTo(bytes(v.get("data")));
      assertThat(m.seqno()).isEqualTo(bytes(v.get("seqno")));
      assertThat(m.signature()).isEqualTo(bytes(v.get("signature")));
      assertThat(m.key()).isEqualTo(bytes(v.get("key")));
      assertThat(m.raw()).isEqualTo(bytes(v.get("messageBytes")));
      assertThat(RpcCodec.encode(rpc)).isEqualTo(JsGolden.hex(v.get("rpcBytes")));
      // Re-creating it from its fields gives js's canonical encoding, empty data included.
      assertThat(PubsubMessage.create(m.from(), m.data(), m.seqno(), m.topic(), m.signature(), m.key()).raw())
          .isEqualTo(m.raw());
    }
  }

  @Test
  void unsignedBytesDropSignatureAndKeyOnly() {
    final PubsubMessage m = PubsubMessage.create(
        bytes("aa"), bytes("bb"), bytes("0000000000000001"), "t", bytes("cc"), bytes("dd"));
    final PubsubMessage expected =
        PubsubMessage.create(bytes("aa"), bytes("bb"), bytes("0000000000000001"), "t", ByteString.EMPTY, ByteString.EMPTY);
    assertThat(m.unsignedBytes()).isEqualTo(expected.raw());
  }

  @Test
  void skipsUnknownFields() {
    // field 15 (varint) and field 16 (bytes) before a subscription
    final byte[] bytes = JsGolden.hex("7801" + "820102abcd" + "0a0508011201" + "74");
    assertThat(RpcCodec.decode(bytes).subscriptions()).containsExactly(new SubOpts(true, "t"));
  }

  @Test
  void rejectsWrongWireTypeForKnownField() {
    // RPC.publish (field 2) sent as a varint
    assertThatThrownBy(() -> RpcCodec.decode(JsGolden.hex("1001")))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("RPC.publish");
  }

  @Test
  void rejectsTruncatedInput() {
    final byte[] full = golden.controlRpcBytes();
    final byte[] truncated = java.util.Arrays.copyOf(full, full.length - 3);
    assertThatThrownBy(() -> RpcCodec.decode(truncated)).isInstanceOf(MalformedInputException.class);
  }

  @Test
  void rejectsInvalidUtf8Topic() {
    // SubOpts{topicid = ff fe}
    assertThatThrownBy(() -> RpcCodec.decode(JsGolden.hex("0a041202fffe")))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("UTF-8");
  }

  private static ByteString bytes(final String hex) {
    return ByteString.copyFrom(JsGolden.hex(hex));
  }
}
