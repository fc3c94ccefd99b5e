package io.tensorlink.chain.node;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a node does; one process may hold any subset (design.md §1). */
public enum Role {
  CLIENT,
  WORKER,
  VALIDATOR;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code "client,worker"}; rejects unknown or empty lists with the offending word. */
  public static Set<Role> parseList(final String text) {
    final EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    for (final String word : text.split(",", -1)) {
      final String w = word.trim().toLowerCase(Locale.ROOT);
      final Role role = switch (w) {
        case "client" -> CLIENT;
        case "worker" -> WORKER;
        case "validator" -> VALIDATOR;
        default -> throw new IllegalArgumentException(
            "unknown role '" + word.trim() + "' (expected client, worker or validator, comma-separated)");
      };
      roles.add(role);
    }
    return roles;
  }
}
