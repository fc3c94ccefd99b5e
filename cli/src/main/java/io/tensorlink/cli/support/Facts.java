package io.tensorlink.cli.support;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a state-printing command found, kept twice: the machine form (JSON field → value) and the
 * human lines. Built once, printed in the form asked for, so the two never disagree.
 */
public final class Facts {
  private final Map<String, Object> json = new LinkedHashMap<>();
  private final StringBuilder text = new StringBuilder();

  /** A field for JSON only (the text shows it elsewhere or not at all). */
  public Facts put(final String field, final Object value) {
    json.put(field, value);
    return this;
  }

  /** A line for the text only. */
  public Facts line(final String line) {
    text.append(line).append(System.lineSeparator());
    return this;
  }

  /** A field, and the line {@code label: shown} for the text. */
  public Facts fact(final String field, final Object value, final String label, final String shown) {
    return put(field, value).line(label + ": " + shown);
  }

  public Map<String, Object> json() {
    return json;
  }

  public void print(final PrintWriter out, final boolean asJson) {
    if (asJson) {
      JsonOption.print(out, json);
    } else {
      out.print(text);
      out.flush();
    }
  }

  /** Builds facts with {@code body}, then prints them. */
  public static void print(final PrintWriter out, final JsonOption option, final Consumer<Facts> body) {
    final Facts f = new Facts();
    body.accept(f);
    f.print(out, option != null && option.enabled());
  }
}
