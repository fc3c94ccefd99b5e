package io.tensorlink.cli.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --json} for the commands that print state: the same facts as the text, as one JSON
 * object on stdout (schemas in docs/operations.md), so scripts need no text parsing.
 */
public final class JsonOption {
  /** Built on first use: picocli creates this option for every command, and Jackson is slow to load. */
  private static final class Mapper {
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
  }

  @Option(names = "--json", description = "Print the result as one JSON object (schema: docs/operations.md).")
  boolean json;

  public boolean enabled() {
    return json;
  }

  /** Prints {@code facts} (a map with insertion order; values are strings, numbers, booleans, lists, maps). */
  public static void print(final PrintWriter out, final Map<String, ?> facts) {
    try {
      out.println(Mapper.JSON.writeValueAsString(facts));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
