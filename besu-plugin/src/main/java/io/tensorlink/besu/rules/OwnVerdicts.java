package io.tensorlink.besu.rules;

import io.tensorlink.chain.pol.PoLHeader;
import java.util.Optional;

/** This node's own verifier's opinion of a PoL block (sampled re-execution, structural checks). */
@FunctionalInterface
public interface OwnVerdicts {
  /** The reason this node rejected {@code header}, or empty when it did not (or never saw it). */
  Optional<String> rejection(PoLHeader header);
}
