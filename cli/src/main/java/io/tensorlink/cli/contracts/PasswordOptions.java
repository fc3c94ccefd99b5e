package io.tensorlink.cli.contracts;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a keystore password comes from: a file, an environment variable, or else a prompt on the
 * terminal. Never a flag value (it would land in shell history and {@code ps}).
 */
public final class PasswordOptions {
  @Option(names = "--password-file", paramLabel = "<file>", description = "Read the keystore password from the first line of this file.")
  Path passwordFile;

  @Option(names = "--password-env", paramLabel = "<NAME>", description = "Read the keystore password from this environment variable.")
  String passwordEnv;

  /** Password sources given by other options than these (e.g. a second, new password). */
  public static PasswordOptions of(final Path file, final String env) {
    final PasswordOptions p = new PasswordOptions();
    p.passwordFile = file;
    p.passwordEnv = env;
    return p;
  }

  /**
   * The password, from the first source given.
   *
   * @param confirm when prompting, ask twice (for a new keystore)
   */
  public char[] read(final CliContext ctx, final String purpose, final boolean confirm) {
    if (passwordFile != null && passwordEnv != null) {
      throw new CliException("give either --password-file or --password-env, not both", ExitCodes.USAGE);
    }
    if (passwordFile != null) {
      return firstLine(passwordFile);
    }
    if (passwordEnv != null) {
      final String value = ctx.env().get(passwordEnv);
      if (value == null || value.isEmpty()) {
        throw new CliException("environment variable " + passwordEnv + " (--password-env) is not set or empty", ExitCodes.CONFIG);
      }
      return value.toCharArray();
    }
    return prompt(purpose, confirm);
  }

  /** The first line of a secret file (password, private key); an empty file is an error. */
  public static char[] firstLine(final Path file) {
    try {
      final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.isEmpty() || lines.get(0).isEmpty()) {
        throw new CliException("secret file " + file + " is empty", ExitCodes.CONFIG);
      }
      return lines.get(0).toCharArray();
    } catch (IOException e) {
      throw new CliException("cannot read secret file " + file + ": " + e.getMessage(), ExitCodes.CONFIG);
    }
  }

  private static char[] prompt(final String purpose, final boolean confirm) {
    final Console console = System.console();
    if (console == null) {
      throw new CliException(
          "no terminal to prompt for the " + purpose + " password; use --password-file <file> or --password-env <NAME>",
          ExitCodes.CONFIG);
    }
    final char[] first = console.readPassword("%s password: ", purpose);
    if (first == null || first.length == 0) {
      throw new CliException("no password entered", ExitCodes.USAGE);
    }
    if (confirm) {
      final char[] again = console.readPassword("repeat the password: ");
      if (!Arrays.equals(first, again)) {
        throw new CliException("the passwords do not match", ExitCodes.USAGE);
      }
    }
    return first;
  }
}
