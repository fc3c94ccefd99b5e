package io.tensorlink.chain.pol.verify;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.work.InputArchive;
import io.tensorlink.chain.pol.work.InputKind;
import io.tensorlink.chain.pol.work.RecordKey;
import io.tensorlink.compute.tensor.NamedTensors;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Inputs read straight from workers' archives in this process (a validator co-located with its workers). */
public final class ArchiveInputSource implements InputSource {
  private final Map<EthAddress, InputArchive> archives;

  public ArchiveInputSource(final Map<EthAddress, InputArchive> archives) {
    this.archives = Map.copyOf(archives);
  }

  @Override
  public CompletableFuture<NamedTensors> fetch(final EthAddress worker, final RecordKey key, final InputKind kind) {
    final InputArchive a = archives.get(worker);
    return a == null ? CompletableFuture.failedFuture(new IllegalStateException("no archive for worker " + worker))
        : a.get(key, kind).map(CompletableFuture::completedFuture).orElseGet(() -> CompletableFuture.failedFuture(
            new IllegalStateException(worker + " has no " + kind + " for " + key)));
  }
}
