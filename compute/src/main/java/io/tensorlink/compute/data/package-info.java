/**
 * Datasets and batch selection: {@link io.tensorlink.compute.data.Dataset} sources (Fashion-MNIST
 * IDX files, character corpora, generated data) and {@link io.tensorlink.compute.data.BatchPlan},
 * which makes a batch's sample indices a pure function of (seed, epoch, step, replica) so any
 * node can recompute any other node's batch. Formats and rules: docs/compute-io.md.
 */
package io.tensorlink.compute.data;
