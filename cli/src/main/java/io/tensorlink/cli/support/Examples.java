package io.tensorlink.cli.support;

/**
 * The heading of the examples every command shows at the end of its help ({@code footer} lines
 * follow it). A constant so that annotations can use it; {@code HelpCoverageTest} checks that no
 * command goes without.
 */
public final class Examples {
  public static final String HEADING = "%nExamples:%n";

  private Examples() {}
}
