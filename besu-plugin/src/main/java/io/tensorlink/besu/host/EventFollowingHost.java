package io.tensorlink.besu.host;

import io.tensorlink.besu.anchor.AnchorState;
import io.tensorlink.besu.anchor.ContractEvents;
import io.tensorlink.besu.rules.OwnVerdicts;
import io.tensorlink.chain.rpc.JobStatus;
import io.tensorlink.chain.rpc.NodeInfo;
import io.tensorlink.chain.rpc.PeerInfo;
import io.tensorlink.chain.rpc.PolBlockView;
import io.tensorlink.chain.rpc.RecordRef;
import io.tensorlink.chain.rpc.RecordVerdict;
import io.tensorlink.chain.rpc.TlNode;
import io.tensorlink.contracts.wallet.KeystoreWallet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host the plugin runs until the validator library is merged: it locks the data directory,
 * unlocks the account, and answers the {@code tl_*} methods from the chain state the plugin
 * builds out of Besu's events. It holds no step records, runs no re-execution and no libp2p host
 * yet, and says so in its answers ({@code peers} is empty, {@code verifyRecord} is UNKNOWN).
 */
public final class EventFollowingHost implements ValidatorHost {
  private static final Logger LOG = LoggerFactory.getLogger(EventFollowingHost.class);
  static final String NOT_WIRED = "this node holds no step records: the validator library is not wired into the plugin yet";

  private final Settings settings;
  private final AnchorState state;
  private final TlNode node = new Node();
  private volatile String account;
  private FileChannel lockChannel;
  private FileLock lock;

  /**
   * What the host needs from the configuration.
   *
   * @param dataDir TensorLink's data directory
   * @param keystore the account's keystore, if any
   * @param password reads the keystore password (called once, then wiped)
   * @param roles the node's roles
   * @param chainId the chain id
   * @param version the plugin's version
   */
  public record Settings(
      Path dataDir, Optional<Path> keystore, Supplier<char[]> password, Set<String> roles, long chainId, String version) {}

  public EventFollowingHost(final Settings settings, final AnchorState state) {
    this.settings = settings;
    this.state = state;
  }

  @Override
  public synchronized void start() {
    try {
      Files.createDirectories(settings.dataDir());
      lockChannel = FileChannel.open(settings.dataDir().resolve("plugin.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = lockChannel.tryLock();
      if (lock == null) {
        lockChannel.close();
        throw new IllegalStateException(settings.dataDir() + " is in use by another TensorLink node");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the data directory " + settings.dataDir(), e);
    }
    settings.keystore().ifPresent(file -> {
      final char[] password = settings.password().get();
      try {
        account = KeystoreWallet.unlock(file, password).getAddress();
      } finally {
        Arrays.fill(password, '\0');
      }
    });
    LOG.info("TensorLink node started: roles {}, account {}, data dir {}", settings.roles(), account, settings.dataDir());
  }

  @Override
  public TlNode node() {
    return node;
  }

  @Override
  public OwnVerdicts verdicts() {
    // No re-execution runs in this host, so it never rejects a block on its own.
    return header -> Optional.empty();
  }

  @Override
  public synchronized void stop() {
    try {
      if (lock != null) {
        lock.release();
        lockChannel.close();
        LOG.info("TensorLink node stopped");
      }
    } catch (IOException e) {
      LOG.warn("releasing {}: {}", settings.dataDir(), e.getMessage());
    } finally {
      lock = null;
      lockChannel = null;
    }
  }

  private final class Node implements TlNode {
    @Override
    public NodeInfo nodeInfo() {
      final TreeMap<String, String> contracts = new TreeMap<>();
      contracts.put("PoLAnchor", state.anchorAddress());
      contracts.put("StakeManager", state.stakeManagerAddress());
      return new NodeInfo(settings.version(), "besu-plugin", account, null, settings.roles().stream().sorted().toList(),
          settings.chainId(), Math.max(0, state.headBlock()), contracts);
    }

    @Override
    public Optional<JobStatus> jobStatus(final BigInteger jobId) {
      if (!state.knowsJob(jobId)) {
        return Optional.empty();
      }
      final var head = state.head(jobId);
      return Optional.of(new JobStatus(jobId, "Unknown", head.nextIndex(), head.nextStep(), head.lastHash()));
    }

    @Override
    public Optional<PolBlockView> polBlock(final BigInteger jobId, final long index) {
      return state.block(jobId, index).map(a -> view(a, state.commitment(jobId, index)));
    }

    @Override
    public List<PeerInfo> peers() {
      return List.of();
    }

    @Override
    public RecordVerdict verifyRecord(final RecordRef record) {
      return new RecordVerdict(RecordVerdict.Status.UNKNOWN, null, NOT_WIRED);
    }
  }

  private static PolBlockView view(final ContractEvents.Anchored a, final Optional<ContractEvents.Committed> c) {
    final PolBlockView.Header h = new PolBlockView.Header(a.jobId(), a.index(), a.parent(), a.stepFrom(), a.stepTo(),
        a.stepsRoot(), a.payoutsRoot(), a.checkpointRoot(), c.map(ContractEvents.Committed::randomness).orElse(null),
        c.map(ContractEvents.Committed::randomnessBlock).orElse(0L));
    return new PolBlockView(h, a.blockHash(), a.signers(), a.blockNumber(), null);
  }
}
