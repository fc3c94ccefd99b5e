package io.tensorlink.cli.contracts;

/** Base of the read-only commands: they bind the suite without unlocking the account. */
public abstract class ViewCommand extends SuiteCommand {
  @Override
  protected final boolean signs() {
    return false;
  }
}
