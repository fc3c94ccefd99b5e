package io.tensorlink.compute.data;

import java.util.Optional;

/** A training set and, where the source has one, a held-out test set. */
public record Splits(Dataset train, Optional<Dataset> test) {}
