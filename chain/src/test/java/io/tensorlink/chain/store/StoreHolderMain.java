package io.tensorlink.chain.store;

import java.nio.file.Path;

/** Child process for {@link NodeStoreTest}: opens a store, says so, and holds it until stdin closes. */
public final class StoreHolderMain {
  private StoreHolderMain() {}

  public static void main(final String[] args) throws Exception {
    try (NodeStore store = NodeStore.open(Path.of(args[0]))) {
      System.out.println("open " + store.directory());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our stdin
      }
    }
  }
}
