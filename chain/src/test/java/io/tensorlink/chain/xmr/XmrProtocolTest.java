package io.tensorlink.chain.xmr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.monero.escrow.EscrowException;
import io.tensorlink.monero.escrow.EscrowMessage;
import io.tensorlink.monero.escrow.EscrowParty;
import io.tensorlink.monero.escrow.EscrowStore;
import io.tensorlink.monero.escrow.EscrowTerms;
import io.tensorlink.monero.escrow.Role;
import io.tensorlink.monero.escrow.SignedMessage;
import io.tensorlink.monero.rpc.RpcEndpoint;
import io.tensorlink.monero.rpc.WalletRpc;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.transport.Hosts;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * {@code /tl/xmr/1.0.0} between real libp2p hosts on loopback, requests signed by node accounts. The
 * requests used here (setup round 1 before the receiver's own round) touch no wallet, so no monerod is
 * needed; {@code XmrEscrowOverLibp2pTest} runs a whole setup on regtest.
 */
class XmrProtocolTest {
  private static final BigInteger JOB = BigInteger.valueOf(9);

  @TempDir
  Path dir;

  private final Map<Role, AccountSigner> accounts = new EnumMap<>(Role.class);
  private final Map<Role, Host> hosts = new EnumMap<>(Role.class);
  private final ExecutorService escrowThreads = Executors.newCachedThreadPool();
  private EscrowTerms terms;
  private Libp2pEscrowTransport clientTransport;

  @BeforeEach
  void startNodes() throws Exception {
    for (final Role r : Role.values()) {
      accounts.put(r, new AccountSigner(Credentials.create(Keys.createEcKeyPair())));
      hosts.put(r, Hosts.create(HostConfig.loopback()));
      hosts.get(r).start().join();
    }
    final Map<Role, String> ids = new EnumMap<>(Role.class);
    accounts.forEach((r, a) -> ids.put(r, a.signerId()));
    terms = new EscrowTerms("job-9/" + ids.get(Role.WORKER), ids, 10_000_000, 1_000, 5_000, 1_000, "4w", "4c", "4a");
    final Map<String, Multiaddr> directory = new java.util.HashMap<>();
    for (final Role r : Role.values()) {
      directory.put(accounts.get(r).signerId(), hosts.get(r).listenAddresses().getFirst().withPeerId(hosts.get(r).peerId()));
    }
    for (final Role r : Role.values()) {
      final PeerDirectory peers = a -> Optional.ofNullable(directory.get(a));
      final Libp2pEscrowTransport transport = new Libp2pEscrowTransport(hosts.get(r), peers, Duration.ofSeconds(10));
      final EscrowRouter router = new EscrowRouter();
      // The wallet-rpc endpoint is never called by the requests below; nothing listens there.
      router.add(EscrowParty.open(new EscrowParty.Config(r, terms, new WalletRpc(RpcEndpoint.loopback(1)), "",
          accounts.get(r), AccountSigner.VERIFIER, transport, new EscrowStore(dir.resolve(r.name()), accounts.get(r).storeKey()),
          new PolPayoutPolicy((job, w) -> Optional.empty(), JOB, ids.get(Role.WORKER)))));
      hosts.get(r).setStreamHandler(XmrProtocol.ID, new XmrStreamHandler(router, escrowThreads));
      if (r == Role.CLIENT) {
        clientTransport = transport;
      }
    }
  }

  @AfterEach
  void stopNodes() {
    hosts.values().forEach(Host::close);
    escrowThreads.shutdownNow();
  }

  @Test
  void aSignedSetupRoundCrossesLibp2pAndTheAnswerIsSignedByTheWorkersAccount() {
    final SignedMessage answer = clientTransport.request(accounts.get(Role.WORKER).signerId(),
        round1("MultisigxV2R1client", accounts.get(Role.CLIENT)));
    assertThat(answer.signer()).isEqualTo(accounts.get(Role.WORKER).signerId());
    assertThat(answer.open(AccountSigner.VERIFIER)).isInstanceOf(EscrowMessage.NotReady.class);
    // The worker stored the first message: a different one for the same round is refused.
    final EscrowMessage second = clientTransport.request(accounts.get(Role.WORKER).signerId(),
        round1("MultisigxV2R1other", accounts.get(Role.CLIENT))).open(AccountSigner.VERIFIER);
    assertThat(second).isInstanceOfSatisfying(EscrowMessage.Refusal.class,
        r -> assertThat(r.reason()).contains("sent a different setup round 1 message"));
  }

  @Test
  void aRequestSignedByAnAccountOutsideTheEscrowIsRefused() {
    final AccountSigner outsider = new AccountSigner(Credentials.create("0x" + "11".repeat(32)));
    final EscrowMessage answer = clientTransport.request(accounts.get(Role.ARBITER).signerId(),
        round1("MultisigxV2R1x", outsider)).open(AccountSigner.VERIFIER);
    assertThat(answer).isInstanceOfSatisfying(EscrowMessage.Refusal.class,
        r -> assertThat(r.reason()).contains("is not a party of escrow"));
  }

  @Test
  void unknownEscrowOrUnknownAccountIsUnavailable() {
    final SignedMessage other = SignedMessage.sign(new EscrowMessage.SetupRound("job-10/x", terms.hash(), 1, "MultisigxV2R1", null),
        accounts.get(Role.CLIENT));
    assertThatThrownBy(() -> clientTransport.request(accounts.get(Role.WORKER).signerId(), other))
        .isInstanceOf(EscrowException.class).hasMessageContaining("failed")
        .extracting(e -> ((EscrowException) e).reason()).isEqualTo(EscrowException.Reason.UNAVAILABLE);
    assertThatThrownBy(() -> clientTransport.request("0x" + "00".repeat(20), round1("MultisigxV2R1", accounts.get(Role.CLIENT))))
        .hasMessageContaining("no known node for account");
  }

  private SignedMessage round1(final String info, final AccountSigner from) {
    return SignedMessage.sign(new EscrowMessage.SetupRound(terms.escrowId(), terms.hash(), 1, info, null), from);
  }
}
