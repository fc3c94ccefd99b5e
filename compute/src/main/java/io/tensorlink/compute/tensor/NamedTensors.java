package io.tensorlink.compute.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ordered list of uniquely named tensors: parameters, gradients or optimizer state, in spec
 * order (the order checkpoints, safetensors export and Merkle roots use).
 *
 * <p>The list and names are immutable; the tensors' elements are not (see {@link Tensor}).
 */
public final class NamedTensors {
  private final List<String> names;
  private final Map<String, Tensor> byName;

  private NamedTensors(final LinkedHashMap<String, Tensor> entries) {
    this.names = List.copyOf(entries.keySet());
    this.byName = Collections.unmodifiableMap(entries);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Names in order. */
  public List<String> names() {
    return names;
  }

  /** Tensors in order. */
  public List<Tensor> tensors() {
    return List.copyOf(byName.values());
  }

  public int count() {
    return names.size();
  }

  public String name(final int index) {
    return names.get(index);
  }

  public Tensor get(final int index) {
    return byName.get(names.get(index));
  }

  /** The tensor called {@code name}; throws naming the missing entry. */
  public Tensor get(final String name) {
    final Tensor t = byName.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no tensor named '" + name + "' (have " + names + ")");
    }
    return t;
  }

  public Optional<Tensor> find(final String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Total element count. */
  public long elementCount() {
    long n = 0;
    for (final Tensor t : byName.values()) {
      n += t.size();
    }
    return n;
  }

  /** Deep copy with the same names and order. */
  public NamedTensors copy() {
    final Builder b = builder();
    for (final String n : names) {
      b.add(n, byName.get(n).copy());
    }
    return b.build();
  }

  /** Zero tensors with the same names and shapes. */
  public NamedTensors zerosLike() {
    final Builder b = builder();
    for (final String n : names) {
      b.add(n, Tensor.zeros(byName.get(n).shape()));
    }
    return b.build();
  }

  /** The entries whose names are in {@code wanted}, in this list's order. */
  public NamedTensors select(final List<String> wanted) {
    final Builder b = builder();
    for (final String n : wanted) {
      b.add(n, get(n));
    }
    return b.build();
  }

  /** Bitwise equality of names, order, shapes and elements. */
  @Override
  public boolean equals(final Object o) {
    return o instanceof NamedTensors other && names.equals(other.names) && byName.equals(other.byName);
  }

  @Override
  public int hashCode() {
    return byName.hashCode();
  }

  @Override
  public String toString() {
    final List<String> parts = new ArrayList<>();
    for (final String n : names) {
      parts.add(n + byName.get(n));
    }
    return "NamedTensors" + parts;
  }

  /** Collects entries in insertion order; rejects duplicate names. */
  public static final class Builder {
    private final LinkedHashMap<String, Tensor> entries = new LinkedHashMap<>();

    public Builder add(final String name, final Tensor tensor) {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("tensor name must not be empty");
      }
      if (entries.putIfAbsent(name, tensor) != null) {
        throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
      }
      return this;
    }

    public Builder addAll(final NamedTensors other) {
      for (int i = 0; i < other.count(); i++) {
        add(other.name(i), other.get(i));
      }
      return this;
    }

    public NamedTensors build() {
      return new NamedTensors(new LinkedHashMap<>(entries));
    }
  }
}
