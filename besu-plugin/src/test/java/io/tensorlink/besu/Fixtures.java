package io.tensorlink.besu;

import io.tensorlink.contracts.wallet.KeystoreWallet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tensorlink.besu.anchor.ChainLog;
import io.tensorlink.besu.anchor.ContractEvents;
import io.tensorlink.besu.anchor.Hex;
import io.tensorlink.besu.anchor.SubmitCall;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.Signature;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/** Test data: anvil's well-known keys as validators, v2 headers, their signatures and suite logs. */
public final class Fixtures {
  public static final long CHAIN_ID = 7701;
  public static final String ANCHOR = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
  public static final String STAKE_MANAGER = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
  public static final PolDomain DOMAIN = PolDomain.of(CHAIN_ID, EthAddress.of(ANCHOR));

  /** Anvil accounts #1..#6 (public test keys). */
  public static final List<Credentials> KEYS = List.of(
      "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
      "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
      "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
      "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
      "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
      "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e").stream().map(Credentials::create).toList();

  public static final BigInteger STAKE = new BigInteger("40000000000000000000000");

  private Fixtures() {}

  /** The keystore password {@link #keystore} uses, in a password file as an operator would write it. */
  public static Path passwordFile(final Path dir) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("password.txt"), "correct horse\n");
  }

  /** {@code account} in a light-KDF keystore under {@code dir}/keys, locked with the password of {@link #passwordFile}. */
  public static Path keystore(final Path dir, final Credentials account) {
    return new KeystoreWallet(dir.resolve("keys")).importKey(account.getEcKeyPair().getPrivateKey().toString(16).toCharArray(),
        "correct horse".toCharArray(), KeystoreWallet.Kdf.LIGHT);
  }

  public static String keccak(final String text) {
    return Hex.of(Hash.sha3(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Block {@code index} of job 1 covering steps [10·index, 10·index + 10). */
  public static Bytes32 b32(final String hex) {
    return Bytes32.fromHexString(hex);
  }

  public static PoLHeader header(final long index, final String parent) {
    return new PoLHeader(BigInteger.ONE, index, b32(parent), 10 * index, 10 * index + 10, b32(keccak("s" + index)),
        b32(keccak("p" + index)), b32(keccak("c" + index)), b32(keccak("r" + index)), 40 + index);
  }

  public static String hash(final PoLHeader header) {
    return header.blockHash().toHexString();
  }

  /** The submit calldata signed by {@code signers}, ordered by ascending address as the contract wants. */
  public static byte[] submit(final PoLHeader header, final List<Credentials> signers) {
    return submit(DOMAIN, header, signers);
  }

  public static byte[] submit(final PolDomain domain, final PoLHeader header, final List<Credentials> signers) {
    final List<byte[]> sigs = signers.stream()
        .sorted(Comparator.comparing(c -> c.getAddress().toLowerCase()))
        .map(c -> Signature.sign(c, header.digest(domain)).value().toArray())
        .toList();
    return new SubmitCall(header, sigs).encode();
  }

  public static ChainLog joined(final Credentials validator, final BigInteger stake, final long block) {
    return new ChainLog(STAKE_MANAGER, List.of(ContractEvents.ACTIVE_SET_JOINED, pad(validator.getAddress())), Hex.of(word(stake)), block);
  }

  public static ChainLog left(final Credentials validator, final BigInteger stake, final long block) {
    return new ChainLog(STAKE_MANAGER, List.of(ContractEvents.ACTIVE_SET_LEFT, pad(validator.getAddress())), Hex.of(word(stake)), block);
  }

  /** PoLAnchor's BlockCommitted (v2) for {@code header}: its randomness and randomness block. */
  public static ChainLog committed(final PoLHeader header, final long block) {
    return new ChainLog(ANCHOR, List.of(ContractEvents.BLOCK_COMMITTED, Hex.of(word(header.jobId())), Hex.of(word(BigInteger.valueOf(header.index())))),
        Hex.of(concat(header.randomness().toArray(), word(BigInteger.valueOf(header.randomnessBlock())), new byte[32], new byte[32])), block);
  }

  /** PoLAnchor's BlockAnchored for {@code header}, signed by {@code signers}. */
  public static ChainLog anchored(final PoLHeader header, final List<Credentials> signers, final long block) {
    final List<byte[]> words = new ArrayList<>();
    words.add(header.parent().toArray());
    words.add(word(BigInteger.valueOf(header.stepFrom())));
    words.add(word(BigInteger.valueOf(header.stepTo())));
    words.add(header.stepsRoot().toArray());
    words.add(header.payoutsRoot().toArray());
    words.add(header.checkpointRoot().toArray());
    words.add(word(BigInteger.valueOf(9 * 32)));
    words.add(word(STAKE.multiply(BigInteger.valueOf(signers.size()))));
    words.add(word(STAKE.multiply(BigInteger.valueOf(signers.size()))));
    words.add(word(BigInteger.valueOf(signers.size())));
    signers.stream().map(c -> c.getAddress().toLowerCase()).sorted()
        .forEach(a -> words.add(Hex.parse(pad(a), 32, "signer")));
    return new ChainLog(ANCHOR, List.of(ContractEvents.BLOCK_ANCHORED, Hex.of(word(header.jobId())),
        Hex.of(word(BigInteger.valueOf(header.index()))), hash(header)), Hex.of(concat(words.toArray(byte[][]::new))), block);
  }

  static String pad(final String address) {
    return "0x" + "0".repeat(24) + address.substring(2).toLowerCase();
  }

  static byte[] word(final BigInteger v) {
    final byte[] raw = v.toByteArray();
    final byte[] w = new byte[32];
    final int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, w, 32 - n, n);
    return w;
  }

  static byte[] concat(final byte[]... parts) {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
