package io.tensorlink.cli;

import io.tensorlink.cli.config.ConfigCommand;
import io.tensorlink.cli.contracts.ContractsCommand;
import io.tensorlink.cli.dispute.DisputeCommand;
import io.tensorlink.cli.node.NodeCommand;
import io.tensorlink.cli.pol.PolCommand;
import io.tensorlink.cli.job.JobCommand;
import io.tensorlink.cli.model.ModelCommand;
import io.tensorlink.cli.stake.StakeCommand;
import io.tensorlink.cli.validator.ValidatorCommand;
import io.tensorlink.cli.wallet.WalletCommand;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The commands of the groups, added to the tree only for the groups a command line names: picocli
 * builds a model of every command it is given by reflection, which is most of the start-up time,
 * and {@code tl-cli devnet status} needs one group, {@code tl-cli --help} none (the group listing
 * comes from the groups' own annotations). {@code generate-completion} and the tests get all.
 */
final class CommandTree {
  private static final Map<String, Supplier<List<Class<?>>>> GROUPS = Map.of(
      "config", ConfigCommand::commands,
      "model", ModelCommand::commands,
      "contracts", ContractsCommand::commands,
      "wallet", WalletCommand::commands,
      "stake", StakeCommand::commands,
      "validator", ValidatorCommand::commands,
      "job", JobCommand::commands,
      "pol", PolCommand::commands,
      "dispute", DisputeCommand::commands,
      "node", NodeCommand::commands);
  private static final String EVERYTHING = "generate-completion";

  private CommandTree() {}

  /** Adds the commands of every group named in {@code args} (all of them for completion). */
  static void expand(final CommandLine root, final String[] args) {
    final List<String> words = Arrays.asList(args);
    GROUPS.forEach((group, commands) -> {
      if (words.contains(group) || words.contains(EVERYTHING)) {
        expandGroup(root, group, commands.get());
      }
    });
  }

  /** Adds the commands of every group. */
  static void expandAll(final CommandLine root) {
    GROUPS.forEach((group, commands) -> expandGroup(root, group, commands.get()));
  }

  private static void expandGroup(final CommandLine root, final String group, final List<Class<?>> commands) {
    final CommandLine parent = root.getSubcommands().get(group);
    if (parent.getSubcommands().isEmpty()) {
      commands.forEach(parent::addSubcommand);
    }
  }
}
