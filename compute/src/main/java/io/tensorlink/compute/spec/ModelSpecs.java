package io.tensorlink.compute.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tensorlink.compute.hash.Keccak;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads model specs from JSON and gives their canonical form and {@code specHash}.
 *
 * <p>Canonical form: the parsed spec with every default spelled out, object keys sorted
 * lexicographically at every level, no insignificant whitespace, UTF-8. {@code specHash =
 * keccak256(canonical bytes)}. Two files that differ only in key order, whitespace or omitted
 * defaults have the same hash.
 */
public final class ModelSpecs {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // 1.5 for an integer field is a mistake, not 1: Jackson would truncate it silently.
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .build();

  private ModelSpecs() {}

  public static ModelSpec parse(final String json) {
    try {
      return JSON.readValue(json, ModelSpec.class);
    } catch (final JsonProcessingException e) {
      final Throwable root = rootCause(e);
      if (root instanceof SpecException se) {
        throw se;
      }
      throw new SpecException(describe(e), e);
    }
  }

  /** {@code line L, column C: <field>: <what was expected>}, without the parser's internals. */
  static String describe(final JsonProcessingException e) {
    final JsonLocation at = e.getLocation();
    final String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
    final String field = e instanceof JsonMappingException m && !m.getPath().isEmpty() ? path(m.getPath()) + ": " : "";
    return where + field + what(e);
  }

  private static String what(final JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field '" + u.getPropertyName() + "'";
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      final Class<?> type = m.getTargetType();
      final String value = e instanceof InvalidFormatException f ? ", got " + f.getValue() : "";
      if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
        return "expected an integer" + (value.isEmpty() ? " (a whole number, e.g. 16)" : value);
      }
      if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
        return "expected a number" + value;
      }
      if (type == Boolean.class || type == boolean.class) {
        return "expected true or false" + value;
      }
      if (type == String.class) {
        return "expected a string" + value;
      }
      if (type.isArray() || List.class.isAssignableFrom(type)) {
        return "expected an array" + value;
      }
    }
    // The first sentence of the parser's own words ("Unexpected character ... was expecting ...").
    final String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    return message.lines().findFirst().orElse(message).replaceAll(" \\(for .*\\)$", "");
  }

  private static String path(final List<JsonMappingException.Reference> refs) {
    final StringBuilder b = new StringBuilder();
    for (final JsonMappingException.Reference r : refs) {
      if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      } else if (r.getFieldName() != null) {
        b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
      }
    }
    return b.toString();
  }

  public static ModelSpec read(final Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (final IOException e) {
      throw new SpecException("cannot read model spec " + file + ": " + e.getMessage(), e);
    } catch (final SpecException e) {
      throw new SpecException(file + ": " + e.getMessage(), e);
    }
  }

  /** The canonical JSON text (see class comment). */
  public static String canonicalJson(final ModelSpec spec) {
    try {
      return JSON.writeValueAsString(sorted(JSON.valueToTree(spec)));
    } catch (final JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + spec, e);
    }
  }

  /** keccak256 of the canonical JSON bytes. */
  public static byte[] specHash(final ModelSpec spec) {
    return Keccak.keccak256(canonicalJson(spec).getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode sorted(final JsonNode node) {
    if (node instanceof ObjectNode obj) {
      final Map<String, JsonNode> fields = new TreeMap<>();
      for (final Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
        final Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          fields.put(e.getKey(), sorted(e.getValue()));
        }
      }
      final ObjectNode out = JSON.createObjectNode();
      fields.forEach(out::set);
      return out;
    }
    if (node instanceof ArrayNode arr) {
      final ArrayNode out = JSON.createArrayNode();
      arr.forEach(n -> out.add(sorted(n)));
      return out;
    }
    return node;
  }

  private static Throwable rootCause(final Throwable t) {
    Throwable c = t;
    final List<Throwable> seen = new ArrayList<>();
    while (c.getCause() != null && !seen.contains(c.getCause())) {
      seen.add(c);
      c = c.getCause();
    }
    return c;
  }
}
