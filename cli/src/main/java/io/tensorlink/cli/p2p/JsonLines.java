package io.tensorlink.cli.p2p;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints one JSON object per line and flushes, so a script can read events as they happen. Thread-safe. */
final class JsonLines {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintWriter out;

  JsonLines(final PrintWriter out) {
    this.out = out;
  }

  /** Prints {@code {"event": event, k1: v1, ...}}; {@code fields} alternate names and values. */
  void event(final String event, final Object... fields) {
    final Map<String, Object> line = new LinkedHashMap<>();
    line.put("event", event);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      line.put((String) fields[i], fields[i + 1]);
    }
    try {
      final String text = JSON.writeValueAsString(line);
      synchronized (out) {
        out.println(text);
        out.flush();
      }
    } catch (final JsonProcessingException e) {
      throw new IllegalStateException("unprintable event " + event, e);
    }
  }
}
