package io.tensorlink.cli.support;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tl-cli help [command…]}: the help of any command in the tree, nested ones included
 * ({@code tl-cli help stake add}); picocli's own help command only goes one level deep.
 */
@Command(name = "help", helpCommand = true, mixinStandardHelpOptions = true,
    description = "Show the help of a command, e.g. 'tl-cli help stake add'.",
    footerHeading = Examples.HEADING, footer = {"  tl-cli help", "  tl-cli help job create"})
public final class HelpCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "<command>", arity = "0..*", description = "The command (and subcommands) to explain.")
  String[] path = {};

  @Override
  public void run() {
    CommandLine target = spec.parent().commandLine();
    for (final String word : path) {
      final CommandLine next = target.getSubcommands().get(word);
      if (next == null) {
        throw new CommandLine.ParameterException(target,
            "unknown command '" + word + "' in '" + target.getCommandName() + "'" + Suggestions.didYouMean(word, target));
      }
      target = next;
    }
    target.usage(spec.commandLine().getOut());
  }
}
