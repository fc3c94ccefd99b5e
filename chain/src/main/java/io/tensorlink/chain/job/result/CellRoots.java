package io.tensorlink.chain.job.result;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.StepRecord;
import org.apache.tuweni.bytes.Bytes32;

/**
 * What a cell's step record says its parameters and optimizer state were after a step: the roots a
 * fetched checkpoint of that cell must have, and the worker to ask for it.
 */
public record CellRoots(int stage, int replica, EthAddress worker, Bytes32 paramsAfter, Bytes32 optStateAfter) {
  public static CellRoots of(final StepRecord r) {
    return new CellRoots(r.stage(), r.replica(), r.worker(), r.paramsAfter(), r.optStateAfter());
  }
}
