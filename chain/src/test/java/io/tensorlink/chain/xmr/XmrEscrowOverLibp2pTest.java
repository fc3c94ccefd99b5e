package io.tensorlink.chain.xmr;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.monero.escrow.EscrowParty;
import io.tensorlink.monero.escrow.EscrowStore;
import io.tensorlink.monero.escrow.EscrowTerms;
import io.tensorlink.monero.escrow.Role;
import io.tensorlink.monero.regtest.MoneroBinaries;
import io.tensorlink.monero.regtest.MoneroRegtest;
import io.tensorlink.monero.regtest.WalletServer;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.transport.Hosts;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * A whole escrow setup between three nodes: libp2p hosts on loopback, node accounts signing, the arbiter
 * chosen from an active set, real wallet-rpc servers on a regtest monerod. Funding and payouts are
 * covered by the monero module's {@code RegtestEscrowTest}; this checks the glue.
 */
class XmrEscrowOverLibp2pTest {
  @TempDir
  Path dir;

  @Test
  void threeNodesAgreeOnOneMultisigAddressOverTlXmr() throws Exception {
    final Optional<MoneroBinaries> bin = MoneroBinaries.find();
    if (bin.isEmpty()) {
      System.out.println("SKIPPED XmrEscrowOverLibp2pTest: " + MoneroBinaries.INSTALL_HINT);
    }
    Assumptions.assumeTrue(bin.isPresent(), MoneroBinaries.INSTALL_HINT);

    final Map<Role, AccountSigner> accounts = new EnumMap<>(Role.class);
    accounts.put(Role.CLIENT, new AccountSigner(Credentials.create(Keys.createEcKeyPair())));
    accounts.put(Role.WORKER, new AccountSigner(Credentials.create(Keys.createEcKeyPair())));
    final List<AccountSigner> validators = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      validators.add(new AccountSigner(Credentials.create(Keys.createEcKeyPair())));
    }
    final BigInteger job = BigInteger.valueOf(77);
    final String arbiter = ArbiterSelection.select(job, accounts.get(Role.CLIENT).signerId(),
        accounts.get(Role.WORKER).signerId(), validators.stream().map(AccountSigner::signerId).toList());
    accounts.put(Role.ARBITER, validators.stream().filter(v -> v.signerId().equals(arbiter)).findFirst().orElseThrow());
    final Map<Role, String> ids = new EnumMap<>(Role.class);
    accounts.forEach((r, a) -> ids.put(r, a.signerId()));
    final EscrowTerms terms = new EscrowTerms("job-77/" + ids.get(Role.WORKER), ids, 10_000_000_000_000L,
        10_000_000_000L, 50_000_000_000L, 10_000_000_000L, MoneroRegtest.BURN_ADDRESS, MoneroRegtest.BURN_ADDRESS,
        MoneroRegtest.BURN_ADDRESS);

    final ExecutorService threads = Executors.newCachedThreadPool();
    final Map<Role, Host> hosts = new EnumMap<>(Role.class);
    try (MoneroRegtest net = MoneroRegtest.start(bin.get(), dir.resolve("regtest"))) {
      final Map<Role, CompletableFuture<WalletServer>> wallets = new EnumMap<>(Role.class);
      for (final Role r : Role.values()) {
        wallets.put(r, CompletableFuture.supplyAsync(() -> net.startWallet(r.name().toLowerCase()), threads));
        hosts.put(r, Hosts.create(HostConfig.loopback()));
        hosts.get(r).start().join();
      }
      final Map<String, Multiaddr> directory = new HashMap<>();
      hosts.forEach((r, h) -> directory.put(ids.get(r), h.listenAddresses().getFirst().withPeerId(h.peerId())));
      final Map<Role, EscrowParty> parties = new EnumMap<>(Role.class);
      for (final Role r : Role.values()) {
        final EscrowRouter router = new EscrowRouter();
        final EscrowParty p = EscrowParty.open(new EscrowParty.Config(r, terms, wallets.get(r).join().rpc(), "",
            accounts.get(r), AccountSigner.VERIFIER,
            new Libp2pEscrowTransport(hosts.get(r), a -> Optional.ofNullable(directory.get(a)), XmrProtocol.DEFAULT_ANSWER_TIMEOUT),
            new EscrowStore(dir.resolve("node-" + r).resolve("xmr"), accounts.get(r).storeKey()),
            new PolPayoutPolicy((j, w) -> Optional.empty(), job, ids.get(Role.WORKER))));
        router.add(p);
        hosts.get(r).setStreamHandler(XmrProtocol.ID, new XmrStreamHandler(router, threads));
        parties.put(r, p);
      }
      final long w0 = System.nanoTime();
      parties.values().stream().map(p -> CompletableFuture.runAsync(p::prepareWallet, threads)).toList()
          .forEach(CompletableFuture::join);
      System.out.printf("[xmr-timing] 3 escrow wallets created in parallel: %d ms%n", (System.nanoTime() - w0) / 1_000_000);
      final long t0 = System.nanoTime();
      final List<CompletableFuture<String>> setups = parties.values().stream()
          .map(p -> CompletableFuture.supplyAsync(() -> p.setup(Duration.ofMinutes(4)), threads)).toList();
      final List<String> addresses = setups.stream().map(CompletableFuture::join).toList();
      System.out.printf("[xmr-timing] setup rounds over /tl/xmr/1.0.0 (3 nodes): %d ms%n",
          (System.nanoTime() - t0) / 1_000_000);
      assertThat(addresses).hasSize(3).containsOnly(addresses.getFirst());
      assertThat(addresses.getFirst()).hasSize(95).isNotEqualTo(MoneroRegtest.BURN_ADDRESS);
      assertThat(parties.values()).allSatisfy(p -> assertThat(p.record().ready()).isTrue());
    } finally {
      hosts.values().forEach(Host::close);
      threads.shutdownNow();
    }
  }
}
