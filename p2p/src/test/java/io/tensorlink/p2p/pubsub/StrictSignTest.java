package io.tensorlink.p2p.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.crypto.Ed25519PrivKey;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.rpc.PubsubMessage;
import io.tensorlink.p2p.pubsub.rpc.RpcCodec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictSignTest {
  private final JsGolden golden = JsGolden.load();

  @Test
  void verifiesMessagesSignedByJsLibp2p() {
    for (final Map<String, String> v : golden.signed()) {
      final PubsubMessage m = RpcCodec.decode(JsGolden.hex(v.get("rpcBytes"))).messages().getFirst();
      assertThat(StrictSign.verify(m)).isEmpty();
      assertThat(PeerId.fromBytes(m.from().toByteArray()).toBase58()).isEqualTo(v.get("peerId"));
    }
  }

  @Test
  void signsExactlyLikeJsForTheSameKeyAndFields() {
    for (final Map<String, String> v : golden.signed()) {
      final StrictSign signer = new StrictSign(Ed25519PrivKey.fromSeed(JsGolden.hex(v.get("seed"))));
      final long seqno = ByteString.copyFrom(JsGolden.hex(v.get("seqno"))).asReadOnlyByteBuffer().getLong();
      final PubsubMessage ours = signer.sign(v.get("topic"), ByteString.copyFrom(JsGolden.hex(v.get("data"))), seqno);

      // Ed25519 is deterministic, so the same unsigned bytes give js's signature.
      assertThat(ours.signature().toByteArray()).isEqualTo(JsGolden.hex(v.get("signature")));
      // The key is inlined in the Ed25519 peer ID, so we leave the key field out (go does too).
      assertThat(ours.key().isEmpty()).isTrue();
      assertThat(StrictSign.verify(ours)).isEmpty();
    }
  }

  @Test
  void jsMessageIdIsPublicKeyProtobufThenSeqno() {
    for (final Map<String, String> v : golden.signed()) {
      final PubsubMessage m = RpcCodec.decode(JsGolden.hex(v.get("rpcBytes"))).messages().getFirst();
      assertThat(MessageIdFunction.KEY_AND_SEQNO.messageId(m).toByteArray()).isEqualTo(JsGolden.hex(v.get("msgId")));
      // Our signed copy has no key field; the id must not change (js derives it from 'from' first).
      final StrictSign signer = new StrictSign(Ed25519PrivKey.fromSeed(JsGolden.hex(v.get("seed"))));
      final PubsubMessage ours = signer.sign(m.topic(), m.data(), m.seqno().asReadOnlyByteBuffer().getLong());
      assertThat(MessageIdFunction.KEY_AND_SEQNO.messageId(ours)).isEqualTo(MessageIdFunction.KEY_AND_SEQNO.messageId(m));
    }
  }

  @Test
  void goMessageIdIsFromThenSeqno() {
    final PubsubMessage m = new StrictSign(Keys.generate(KeyType.ED25519)).sign("t", ByteString.EMPTY, 7);
    assertThat(MessageIdFunction.FROM_AND_SEQNO.messageId(m)).isEqualTo(m.from().concat(m.seqno()));
  }

  @Test
  void secp256k1AuthorsSignAndVerify() {
    final PrivKey key = Keys.generate(KeyType.SECP256K1);
    final PubsubMessage m = new StrictSign(key).sign("t", ByteString.copyFromUtf8("x"), 1);
    assertThat(StrictSign.verify(m)).isEmpty();
  }

  @Test
  void rejectsTamperedData() {
    final PubsubMessage m = new StrictSign(Keys.generate(KeyType.ED25519)).sign("t", ByteString.copyFromUtf8("a"), 1);
    final PubsubMessage tampered =
        PubsubMessage.create(m.from(), ByteString.copyFromUtf8("b"), m.seqno(), m.topic(), m.signature(), m.key());
    assertThat(StrictSign.verify(tampered)).hasValueSatisfying(r -> assertThat(r).contains("does not verify"));
  }

  @Test
  void rejectsAMalformedSignatureWithoutThrowing() {
    final PubsubMessage m = new StrictSign(Keys.generate(KeyType.ED25519)).sign("t", ByteString.EMPTY, 1);
    for (final ByteString bad : java.util.List.of(m.signature().substring(1), ByteString.copyFrom(new byte[64]))) {
      final PubsubMessage forged = PubsubMessage.create(m.from(), m.data(), m.seqno(), m.topic(), bad, m.key());
      assertThat(StrictSign.verify(forged)).hasValueSatisfying(r -> assertThat(r).contains("does not verify"));
    }
  }

  @Test
  void rejectsForeignKeyField() {
    final PubsubMessage m = new StrictSign(Keys.generate(KeyType.ED25519)).sign("t", ByteString.EMPTY, 1);
    final ByteString otherKey = ByteString.copyFrom(Keys.generate(KeyType.ED25519).publicKey().marshal());
    final PubsubMessage forged = PubsubMessage.create(m.from(), m.data(), m.seqno(), m.topic(), m.signature(), otherKey);
    assertThat(StrictSign.verify(forged)).hasValueSatisfying(r -> assertThat(r).contains("does not belong"));
  }

  @Test
  void rejectsShortSeqnoAndMissingSignature() {
    final PubsubMessage m = new StrictSign(Keys.generate(KeyType.ED25519)).sign("t", ByteString.EMPTY, 1);
    final PubsubMessage shortSeqno =
        PubsubMessage.create(m.from(), m.data(), m.seqno().substring(4), m.topic(), m.signature(), m.key());
    assertThat(StrictSign.verify(shortSeqno)).hasValueSatisfying(r -> assertThat(r).contains("8 bytes"));
    final PubsubMessage unsigned =
        PubsubMessage.create(m.from(), m.data(), m.seqno(), m.topic(), ByteString.EMPTY, ByteString.EMPTY);
    assertThat(StrictSign.verify(unsigned)).hasValueSatisfying(r -> assertThat(r).contains("not signed"));
  }

  @Test
  void rejectsGarbageAuthor() {
    final PubsubMessage m = new StrictSign(Keys.generate(KeyType.ED25519)).sign("t", ByteString.EMPTY, 1);
    final PubsubMessage garbage =
        PubsubMessage.create(ByteString.copyFromUtf8("nope"), m.data(), m.seqno(), m.topic(), m.signature(), m.key());
    assertThat(StrictSign.verify(garbage)).hasValueSatisfying(r -> assertThat(r).contains("bad author"));
  }
}
