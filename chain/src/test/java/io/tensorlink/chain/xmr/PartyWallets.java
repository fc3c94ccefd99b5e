package io.tensorlink.chain.xmr;

import io.tensorlink.monero.escrow.Role;
import io.tensorlink.monero.regtest.MoneroRegtest;
import io.tensorlink.monero.regtest.WalletServer;
import io.tensorlink.monero.rpc.WalletRpc;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Each escrow party's two wallet-rpc instances on a regtest network, started side by side (a
 * wallet takes seconds of CPU to create): a personal wallet (the client's funded with 70 mined
 * blocks, then 10 more so the coinbase unlocks) and an escrow wallet, still starting when this
 * returns.
 */
record PartyWallets(Map<Role, WalletRpc> personal, Map<Role, CompletableFuture<WalletServer>> escrow) {

  static PartyWallets start(final MoneroRegtest net, final ExecutorService pool) {
    final Map<Role, CompletableFuture<WalletServer>> personalStarting = new EnumMap<>(Role.class);
    final Map<Role, CompletableFuture<WalletServer>> escrow = new EnumMap<>(Role.class);
    for (final Role r : Role.values()) {
      personalStarting.put(r, CompletableFuture.supplyAsync(() -> {
        final WalletServer w = net.startWallet(r.name().toLowerCase() + "-personal");
        w.rpc().createWallet("personal", "");
        return w;
      }, pool));
      escrow.put(r, CompletableFuture.supplyAsync(() -> net.startWallet(r.name().toLowerCase() + "-escrow"), pool));
    }
    final Map<Role, WalletRpc> personal = new EnumMap<>(Role.class);
    personalStarting.forEach((r, f) -> personal.put(r, f.join().rpc()));
    net.daemon().mine(70, personal.get(Role.CLIENT).address());
    net.mine(10);
    return new PartyWallets(personal, escrow);
  }

  /** {@code role}'s escrow wallet, once started. */
  WalletRpc escrow(final Role role) {
    return escrow.get(role).join().rpc();
  }
}
