/**
 * Standalone training runs: {@link io.tensorlink.compute.run.Trainer} drives the step function
 * over a dataset, {@link io.tensorlink.compute.run.TrainingRun} adds loading, evaluation, saving
 * and export; {@code tl-cli train} is a thin front end to it.
 */
package io.tensorlink.compute.run;
