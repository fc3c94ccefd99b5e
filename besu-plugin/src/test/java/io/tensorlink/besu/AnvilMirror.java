package io.tensorlink.besu;

import io.tensorlink.besu.anchor.ChainLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Stands in for Besu's own block import: copies a real anvil's blocks, each with the logs the
 * given contracts emitted in it, into the stand-in chain ({@link StandInBesu.Chain}, same block
 * numbers, the stand-in's own block hashes), which then raises its block-added events as Besu
 * would. {@link #catchUp} copies once; {@link #follow} keeps copying in the background until closed.
 */
public final class AnvilMirror implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnvilMirror.class);

  private final Web3j anvil;
  private final StandInBesu besu;
  private final List<String> contracts;
  private ScheduledExecutorService follower;

  public AnvilMirror(final Web3j anvil, final StandInBesu besu, final List<String> contracts) {
    this.anvil = anvil;
    this.besu = besu;
    this.contracts = List.copyOf(contracts);
  }

  /** Imports anvil's blocks after the stand-in's head up to anvil's latest; returns the new head. */
  public synchronized long catchUp() {
    try {
      final long latest = anvil.ethBlockNumber().send().getBlockNumber().longValueExact();
      final long from = besu.chain.head() + 1;
      if (from > latest) {
        return latest;
      }
      final EthLog logs = anvil.ethGetLogs(new EthFilter(new DefaultBlockParameterNumber(from),
          new DefaultBlockParameterNumber(latest), contracts)).send();
      final Map<Long, List<ChainLog>> byBlock = new HashMap<>();
      for (EthLog.LogResult<?> result : logs.getLogs()) {
        final Log log = (Log) result.get();
        byBlock.computeIfAbsent(log.getBlockNumber().longValueExact(), b -> new ArrayList<>())
            .add(new ChainLog(log.getAddress(), log.getTopics(), log.getData(), log.getBlockNumber().longValueExact()));
      }
      for (long n = from; n <= latest; n++) {
        besu.chain.importBlock(byBlock.getOrDefault(n, List.of()));
      }
      return latest;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read anvil's blocks", e);
    }
  }

  /** Copies new blocks every {@code everyMillis} until {@link #close}. */
  public synchronized AnvilMirror follow(final long everyMillis) {
    if (follower == null) {
      follower = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("anvil-mirror").daemon().factory());
      follower.scheduleWithFixedDelay(() -> {
        try {
          catchUp();
        } catch (RuntimeException e) {
          LOG.debug("mirroring anvil failed, retrying: {}", e.toString());
        }
      }, 0, everyMillis, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  @Override
  public void close() {
    final ScheduledExecutorService f;
    synchronized (this) {
      f = follower;
      follower = null;
    }
    if (f != null) {
      f.shutdownNow();
    }
  }
}
