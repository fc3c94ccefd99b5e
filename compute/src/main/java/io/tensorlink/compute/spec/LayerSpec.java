package io.tensorlink.compute.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One layer of a model spec. Input sizes are inferred from the previous layer's output shape,
 * so a spec names only what it chooses (out features, kernel, heads...). Optional fields are
 * filled with their defaults at parse time, so the canonical form always spells them out.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LayerSpec.LinearSpec.class, name = "linear"),
    @JsonSubTypes.Type(value = LayerSpec.Conv2dSpec.class, name = "conv2d"),
    @JsonSubTypes.Type(value = LayerSpec.MaxPool2dSpec.class, name = "maxpool2d"),
    @JsonSubTypes.Type(value = LayerSpec.ReluSpec.class, name = "relu"),
    @JsonSubTypes.Type(value = LayerSpec.GeluSpec.class, name = "gelu"),
    @JsonSubTypes.Type(value = LayerSpec.TanhSpec.class, name = "tanh"),
    @JsonSubTypes.Type(value = LayerSpec.DropoutSpec.class, name = "dropout"),
    @JsonSubTypes.Type(value = LayerSpec.LayerNormSpec.class, name = "layernorm"),
    @JsonSubTypes.Type(value = LayerSpec.EmbeddingSpec.class, name = "embedding"),
    @JsonSubTypes.Type(value = LayerSpec.FlattenSpec.class, name = "flatten"),
    @JsonSubTypes.Type(value = LayerSpec.AttentionSpec.class, name = "attention"),
    @JsonSubTypes.Type(value = LayerSpec.ResidualSpec.class, name = "residual"),
})
public sealed interface LayerSpec {

  String name();

  /** Fails with a message naming the layer when a required field is missing or out of range. */
  static int required(final String layer, final String type, final String field, final Integer value, final int min) {
    if (value == null) {
      throw new SpecException("layer '" + layer + "' (" + type + "): missing '" + field + "'");
    }
    if (value < min) {
      throw new SpecException("layer '" + layer + "' (" + type + "): '" + field + "' must be >= " + min + ", got " + value);
    }
    return value;
  }

  private static String named(final String name, final String type) {
    if (name == null || name.isBlank()) {
      throw new SpecException("a " + type + " layer has no 'name'");
    }
    if (!name.matches("[A-Za-z0-9_]+")) {
      throw new SpecException("layer '" + name + "' (" + type + "): names use letters, digits and '_' only");
    }
    return name;
  }

  record LinearSpec(String name, Integer out, Boolean bias) implements LayerSpec {
    public LinearSpec {
      named(name, "linear");
      required(name, "linear", "out", out, 1);
      bias = bias == null || bias;
    }
  }

  record Conv2dSpec(String name, Integer out, Integer kernel, Integer stride, Integer padding) implements LayerSpec {
    public Conv2dSpec {
      named(name, "conv2d");
      required(name, "conv2d", "out", out, 1);
      required(name, "conv2d", "kernel", kernel, 1);
      stride = stride == null ? 1 : required(name, "conv2d", "stride", stride, 1);
      padding = padding == null ? 0 : required(name, "conv2d", "padding", padding, 0);
    }
  }

  record MaxPool2dSpec(String name, Integer kernel, Integer stride) implements LayerSpec {
    public MaxPool2dSpec {
      named(name, "maxpool2d");
      required(name, "maxpool2d", "kernel", kernel, 1);
      stride = stride == null ? kernel : required(name, "maxpool2d", "stride", stride, 1);
    }
  }

  record ReluSpec(String name) implements LayerSpec {
    public ReluSpec {
      named(name, "relu");
    }
  }

  record GeluSpec(String name) implements LayerSpec {
    public GeluSpec {
      named(name, "gelu");
    }
  }

  record TanhSpec(String name) implements LayerSpec {
    public TanhSpec {
      named(name, "tanh");
    }
  }

  record DropoutSpec(String name, Float p) implements LayerSpec {
    public DropoutSpec {
      named(name, "dropout");
      if (p == null || !(p >= 0f && p < 1f)) {
        throw new SpecException("layer '" + name + "' (dropout): 'p' must be in [0, 1), got " + p);
      }
    }
  }

  record LayerNormSpec(String name, Float eps) implements LayerSpec {
    public LayerNormSpec {
      named(name, "layernorm");
      eps = eps == null ? 1e-5f : eps;
      if (!(eps > 0f)) {
        throw new SpecException("layer '" + name + "' (layernorm): 'eps' must be > 0, got " + eps);
      }
    }
  }

  record EmbeddingSpec(String name, Integer vocab, Integer dim, Integer positions) implements LayerSpec {
    public EmbeddingSpec {
      named(name, "embedding");
      required(name, "embedding", "vocab", vocab, 1);
      required(name, "embedding", "dim", dim, 1);
      positions = positions == null ? 0 : required(name, "embedding", "positions", positions, 0);
    }
  }

  record FlattenSpec(String name) implements LayerSpec {
    public FlattenSpec {
      named(name, "flatten");
    }
  }

  record AttentionSpec(String name, Integer heads) implements LayerSpec {
    public AttentionSpec {
      named(name, "attention");
      required(name, "attention", "heads", heads, 1);
    }
  }

  record ResidualSpec(String name, List<LayerSpec> layers) implements LayerSpec {
    public ResidualSpec {
      named(name, "residual");
      if (layers == null || layers.isEmpty()) {
        throw new SpecException("layer '" + name + "' (residual): 'layers' must list at least one layer");
      }
      layers = List.copyOf(layers);
    }
  }
}
