package io.tensorlink.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KadStoreTest {
  private static PeerId peer() {
    return PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
  }

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-12-07T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void recordsAndProvidersExpireAfterTheirTtl() {
    final ManualClock clock = new ManualClock();
    final KadStore store = new KadStore(clock);
    final byte[] key = "/pk/a".getBytes(StandardCharsets.UTF_8);
    store.putRecord(new KadRecord(key, new byte[] {1}, ""));
    final PeerId p = peer();
    store.addProvider(key, p);
    clock.now = clock.now.plus(KadStore.RECORD_TTL).minusSeconds(1);
    assertThat(store.record(key)).isPresent();
    clock.now = clock.now.plus(Duration.ofSeconds(2));
    assertThat(store.record(key)).isEmpty();
    assertThat(store.providers(key)).containsExactly(p);
    clock.now = clock.now.plus(KadStore.PROVIDER_TTL);
    assertThat(store.providers(key)).isEmpty();
  }

  @Test
  void aKeyKeepsAtMostTheNewestProviders() {
    final KadStore store = new KadStore(Clock.systemUTC());
    final byte[] key = {1};
    final List<PeerId> peers = java.util.stream.Stream.generate(KadStoreTest::peer).limit(KadStore.MAX_PROVIDERS_PER_KEY + 5).toList();
    peers.forEach(p -> store.addProvider(key, p));
    assertThat(store.providers(key)).hasSize(KadStore.MAX_PROVIDERS_PER_KEY).doesNotContain(peers.get(0)).startsWith(peers.getLast());
  }

  @Test
  void thePublicKeyValidatorAcceptsOnlyTheKeyOfThePeerNamed() {
    final Validators validators = new Validators(Map.of());
    final PrivKey key = Keys.generate(KeyType.ED25519);
    final PeerId id = PeerId.fromPublicKey(key.publicKey());
    validators.validate(PublicKeyValidator.keyFor(id), key.publicKey().marshal());
    assertThatThrownBy(() -> validators.validate(PublicKeyValidator.keyFor(peer()), key.publicKey().marshal()))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("is not the public key of");
    assertThatThrownBy(() -> validators.validate(PublicKeyValidator.keyFor(id), new byte[] {8, 1, 18, 1, 0}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keysOutsideAKnownNamespaceAreRefused() {
    final Validators validators = new Validators(Map.of("tl", (k, v) -> {}));
    validators.validate("/tl/x".getBytes(StandardCharsets.UTF_8), new byte[] {1});
    assertThatThrownBy(() -> validators.validate("/ipns/x".getBytes(StandardCharsets.UTF_8), new byte[] {1}))
        .hasMessageContaining("no validator for record namespace 'ipns'");
    assertThatThrownBy(() -> validators.validate("tl/x".getBytes(StandardCharsets.UTF_8), new byte[] {1}))
        .hasMessageContaining("does not start with /<namespace>/");
    assertThatThrownBy(() -> validators.validate("//x".getBytes(StandardCharsets.UTF_8), new byte[] {1}))
        .hasMessageContaining("does not start with /<namespace>/");
  }
}
