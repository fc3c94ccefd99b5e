package io.tensorlink.p2p.pubsub;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vectors in {@code pubsub/js-golden.json}, printed by {@code p2p/interop/golden.mjs} with
 * js-libp2p's own gossipsub codec. The file is flat enough to read with a pattern.
 */
public record JsGolden(List<Map<String, String>> signed, byte[] controlRpcBytes) {
  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":\\s*\"([^\"]*)\"");

  public static JsGolden load() {
    try (InputStream in = JsGolden.class.getResourceAsStream("/pubsub/js-golden.json")) {
      final String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      final String signedPart = json.substring(json.indexOf("\"signed\""), json.indexOf("\"controlRpcBytes\""));
      final List<Map<String, String>> signed = new ArrayList<>();
      for (final String object : signedPart.split("\\}")) {
        final Map<String, String> fields = new java.util.HashMap<>();
        final Matcher m = FIELD.matcher(object);
        while (m.find()) {
          fields.put(m.group(1), m.group(2));
        }
        if (!fields.isEmpty()) {
          signed.add(Map.copyOf(fields));
        }
      }
      final Matcher control = FIELD.matcher(json.substring(json.indexOf("\"controlRpcBytes\"")));
      control.find();
      return new JsGolden(List.copyOf(signed), HexFormat.of().parseHex(control.group(2)));
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] hex(final String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
