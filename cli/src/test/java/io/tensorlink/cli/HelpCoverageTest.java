package io.tensorlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Help everywhere, generated from the command tree: a new command without {@code --help}, {@code -h},
 * examples or a one-sentence summary fails here.
 */
class HelpCoverageTest {
  @TempDir Path dataDir;

  static Stream<List<String>> commands() {
    final List<List<String>> paths = new ArrayList<>();
    walk(TREE, new ArrayList<>(), paths);
    return paths.stream();
  }

  private static void walk(final CommandLine cmd, final List<String> path, final List<List<String>> into) {
    into.add(List.copyOf(path));
    cmd.getSubcommands().forEach((name, sub) -> {
      if (sub.getCommandSpec().name().equals(name)) { // aliases point at the same command
        final List<String> next = new ArrayList<>(path);
        next.add(name);
        walk(sub, next, into);
      }
    });
  }

  @ParameterizedTest(name = "tl-cli {0} --help")
  @MethodSource("commands")
  void everyCommandHasHelpWithExamples(final List<String> path) {
    final String usage = "Usage: tl-cli" + (path.isEmpty() ? "" : " " + String.join(" ", path));
    final CliRun run = CliRun.run(dataDir, args(path, "--help"));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith(usage);
    assertThat(run.out().substring(run.out().indexOf("Examples:"))).as("examples of " + path).contains("  tl-cli ");
    // -h is the same help option (running it again would only repeat the above).
    assertThat(command(path).getCommandSpec().findOption("-h")).as("-h on " + path).isNotNull()
        .satisfies(o -> assertThat(o.usageHelp()).isTrue());
  }

  @Test
  void helpCommandAndDashHReachNestedCommands() {
    for (final List<String> path : List.of(List.of("stake", "add"), List.of("devnet"), List.of("config", "set"))) {
      final String usage = "Usage: tl-cli " + String.join(" ", path);
      final List<String> viaHelp = new ArrayList<>(List.of("help"));
      viaHelp.addAll(path);
      final CliRun help = CliRun.run(dataDir, viaHelp.toArray(String[]::new));
      assertThat(help.exitCode()).as(help.err()).isZero();
      assertThat(help.out()).startsWith(usage);
      final CliRun h = CliRun.run(dataDir, args(path, "-h"));
      assertThat(h.exitCode()).isZero();
      assertThat(h.out()).isEqualTo(help.out());
    }
  }

  @ParameterizedTest(name = "tl-cli {0}: summary is one sentence")
  @MethodSource("commands")
  void theSummaryInGroupListingsIsAWholeSentence(final List<String> path) {
    final String[] description = command(path).getCommandSpec().usageMessage().description();
    assertThat(description).as("description of " + path).isNotEmpty();
    assertThat(description[0].strip()).as("first line of " + path + "'s description").endsWith(".");
  }

  @Test
  void aMistypedCommandOrOptionGetsASuggestion() {
    final CliRun command = CliRun.run(dataDir, "stak", "status");
    assertThat(command.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(command.err().strip()).isEqualTo("error: unknown command 'stak'; did you mean 'stake'? (see 'tl-cli --help')");

    final CliRun option = CliRun.run(dataDir, "stake", "add", "1", "--gensis-account", "2");
    assertThat(option.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(option.err()).contains("unknown option '--gensis-account'; did you mean '--genesis-account'?");

    final CliRun help = CliRun.run(dataDir, "help", "stake", "ad");
    assertThat(help.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(help.err()).contains("unknown command 'ad' in 'stake'; did you mean 'add'?");
  }

  @Test
  void anUnknownGroupWithHelpIsAnErrorNotTheTopLevelHelp() {
    final CliRun run = CliRun.run(dataDir, "mining", "--help");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("error: unknown command 'mining'");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aGroupWithoutItsCommandNamesTheChoices() {
    final CliRun run = CliRun.run(dataDir, "devnet");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("error: a command is required: advance, down, fund, mine, status, up");
  }

  private static final CommandLine TREE =
      TlCli.fullTree(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));

  static CommandLine command(final List<String> path) {
    CommandLine cmd = TREE;
    for (final String word : path) {
      cmd = cmd.getSubcommands().get(word);
    }
    return cmd;
  }

  private static String[] args(final List<String> path, final String flag) {
    final List<String> a = new ArrayList<>(path);
    a.add(flag);
    return a.toArray(String[]::new);
  }
}
