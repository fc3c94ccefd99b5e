package io.tensorlink.chain.pol.verify;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.work.InputKind;
import io.tensorlink.chain.pol.work.RecordKey;
import io.tensorlink.compute.tensor.NamedTensors;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches one input of a record from the worker that produced it. The future fails when the
 * worker does not serve it (refusal, timeout, malformed answer); the caller hash-checks a value
 * that arrives against the record, so a source never needs to be trusted.
 */
public interface InputSource {
  CompletableFuture<NamedTensors> fetch(EthAddress worker, RecordKey key, InputKind kind);
}
