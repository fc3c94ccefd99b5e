package io.tensorlink.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
  @TempDir Path dir;

  @Test
  void shouldCreateOnceThenLoadTheSameKeyWithOwnerOnlyPermissions() throws Exception {
    final Path file = dir.resolve("sub/" + KeyFile.DEFAULT_NAME);
    final PrivKey created = KeyFile.loadOrCreate(file, KeyType.ED25519);
    final PrivKey loaded = KeyFile.loadOrCreate(file, KeyType.ED25519);
    assertThat(loaded.publicKey()).isEqualTo(created.publicKey());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void concurrentCreatorsAgreeOnOneKey() throws Exception {
    final Path file = dir.resolve("race/" + KeyFile.DEFAULT_NAME);
    final var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      final var keys = new java.util.ArrayList<java.util.concurrent.Future<PrivKey>>();
      for (int i = 0; i < 8; i++) {
        keys.add(pool.submit(() -> KeyFile.loadOrCreate(file, KeyType.ED25519)));
      }
      final var results = new java.util.ArrayList<PubKey>();
      for (final var k : keys) {
        results.add(k.get().publicKey());
      }
      final PubKey onDisk = KeyFile.load(file).publicKey();
      assertThat(results).allMatch(onDisk::equals);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldRoundTripSecp256k1() throws Exception {
    final Path file = dir.resolve("k1.key");
    final PrivKey created = KeyFile.loadOrCreate(file, KeyType.SECP256K1);
    assertThat(KeyFile.load(file).publicKey()).isEqualTo(created.publicKey());
    assertThat(KeyFile.load(file).type()).isEqualTo(KeyType.SECP256K1);
  }

  @Test
  void shouldReportCorruptionTruncationAndForeignFiles() throws Exception {
    final Path file = dir.resolve("id.key");
    KeyFile.loadOrCreate(file, KeyType.ED25519);
    final byte[] good = Files.readAllBytes(file);

    final byte[] flipped = good.clone();
    flipped[10] ^= 0x40;
    Files.write(file, flipped);
    assertThatThrownBy(() -> KeyFile.load(file))
        .isInstanceOf(KeyFile.KeyFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("checksum");

    Files.write(file, java.util.Arrays.copyOf(good, good.length - 7));
    assertThatThrownBy(() -> KeyFile.load(file)).hasMessageContaining("checksum");

    Files.writeString(file, "-----BEGIN PRIVATE KEY-----");
    assertThatThrownBy(() -> KeyFile.load(file)).hasMessageContaining("bad magic");

    assertThatThrownBy(() -> KeyFile.save(file, Keys.generate(KeyType.ED25519)))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
  }
}
