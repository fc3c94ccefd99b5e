/**
 * Saved and committed training state: the checksummed checkpoint format, {@code paramsRoot}
 * (a keccak256 Merkle root in OpenZeppelin's layout over per-tensor hashes), safetensors export
 * and import for PyTorch, and the relative-L2 distances of the tolerant verification mode.
 * Byte-level definitions: docs/compute-io.md.
 */
package io.tensorlink.compute.checkpoint;
