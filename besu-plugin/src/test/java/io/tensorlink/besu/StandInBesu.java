package io.tensorlink.besu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.hyperledger.besu.datatypes.Address;
import org.hyperledger.besu.datatypes.Hash;
import org.hyperledger.besu.datatypes.PendingTransaction;
import org.hyperledger.besu.datatypes.Transaction;
import org.hyperledger.besu.plugin.ServiceManager;
import io.tensorlink.besu.anchor.ChainLog;
import org.hyperledger.besu.plugin.data.AddedBlockContext;
import org.hyperledger.besu.plugin.data.BlockContext;
import org.hyperledger.besu.plugin.data.BlockHeader;
import org.hyperledger.besu.plugin.data.Log;
import org.hyperledger.besu.plugin.data.TransactionReceipt;
import org.hyperledger.besu.plugin.data.TransactionSelectionResult;
import org.hyperledger.besu.plugin.services.BesuEvents;
import org.hyperledger.besu.plugin.services.BesuService;
import org.hyperledger.besu.plugin.services.BlockchainService;
import org.hyperledger.besu.plugin.services.PicoCLIOptions;
import org.hyperledger.besu.plugin.services.RpcEndpointService;
import org.hyperledger.besu.plugin.services.TransactionSelectionService;
import org.hyperledger.besu.plugin.services.TransactionValidatorService;
import org.hyperledger.besu.plugin.services.rpc.PluginRpcRequest;
import org.hyperledger.besu.plugin.services.txselection.PluginTransactionSelectorFactory;
import org.hyperledger.besu.plugin.services.txselection.SelectorsStateManager;
import org.hyperledger.besu.plugin.services.txvalidator.TransactionValidationRule;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * STAND-INS for Besu's services, written for these tests (no real Besu runs here: its artifacts
 * live only in Besu's repository, which this machine cannot reach). They do what Besu does with
 * a plugin's registrations, in the same order: picocli mixes the options bean into a command line
 * and parses it, RPC endpoints are kept by {@code namespace_function}, imported blocks are kept
 * with their receipts and announced to block-added listeners, rules and selector factories are
 * kept and applied on demand.
 */
public final class StandInBesu implements ServiceManager {
  private final Map<Class<?>, BesuService> services = new HashMap<>();
  public final Cli cli = new Cli();
  public final Rpc rpc = new Rpc();
  public final Chain chain = new Chain();
  public final Rules rules = new Rules();
  public final Selection selection = new Selection();

  public StandInBesu() {
    services.put(PicoCLIOptions.class, cli);
    services.put(RpcEndpointService.class, rpc);
    services.put(BesuEvents.class, chain);
    services.put(BlockchainService.class, chain);
    services.put(TransactionValidatorService.class, rules);
    services.put(TransactionSelectionService.class, selection);
  }

  /** A Besu without one of its services (for the "service missing" path). */
  public StandInBesu without(final Class<? extends BesuService> type) {
    services.remove(type);
    return this;
  }

  @Override
  public <T extends BesuService> Optional<T> getService(final Class<T> serviceType) {
    return Optional.ofNullable(serviceType.cast(services.get(serviceType)));
  }

  /** Besu's command line: options beans become picocli mixins; {@link #parse} parses the args. */
  public static final class Cli implements PicoCLIOptions {
    private final CommandLine commandLine = new CommandLine(CommandSpec.create());

    @Override
    public void addPicoCLIOptions(final String namespace, final Object optionObject) {
      commandLine.addMixin(namespace, optionObject);
    }

    public void parse(final String... args) {
      commandLine.parseArgs(args);
    }
  }

  public static final class Rpc implements RpcEndpointService {
    private final Map<String, Function<PluginRpcRequest, ?>> endpoints = new LinkedHashMap<>();

    @Override
    public <T> void registerRPCEndpoint(final String namespace, final String functionName, final Function<PluginRpcRequest, T> function) {
      endpoints.put(namespace + "_" + functionName, function);
    }

    public List<String> methods() {
      return List.copyOf(endpoints.keySet());
    }

    /** Calls a method as Besu's JSON-RPC layer would, with the parameters as JSON gives them. */
    public Object call(final String method, final Object... params) {
      final Function<PluginRpcRequest, ?> f = endpoints.get(method);
      if (f == null) {
        throw new IllegalArgumentException("method not found: " + method);
      }
      return f.apply(() -> params);
    }
  }

  /**
   * Besu's chain and its block-added event in one: {@link #importBlock} stores a block (one receipt
   * holding the given logs) and then tells the listeners, as Besu does after importing.
   */
  public static final class Chain implements BesuEvents, BlockchainService {
    private final Map<Long, BlockHeader> headers = new LinkedHashMap<>();
    private final Map<Hash, List<TransactionReceipt>> receipts = new HashMap<>();
    private final Map<Long, BlockAddedListener> listeners = new LinkedHashMap<>();
    private long next = 1;

    Chain() {
      store(0, List.of());
    }

    @Override
    public synchronized long addBlockAddedListener(final BlockAddedListener listener) {
      listeners.put(next, listener);
      return next++;
    }

    @Override
    public synchronized void removeBlockAddedListener(final long id) {
      listeners.remove(id);
    }

    public synchronized int listeners() {
      return listeners.size();
    }

    @Override
    public synchronized Optional<BlockContext> getBlockByNumber(final long number) {
      return Optional.ofNullable(headers.get(number)).map(h -> () -> h);
    }

    @Override
    public synchronized Optional<List<TransactionReceipt>> getReceiptsByBlockHash(final Hash blockHash) {
      return Optional.ofNullable(receipts.get(blockHash));
    }

    @Override
    public synchronized BlockHeader getChainHeadHeader() {
      return headers.get((long) headers.size() - 1);
    }

    /** Imports the next block holding {@code logs}, then notifies the block-added listeners. */
    public void importBlock(final List<ChainLog> logs) {
      final AddedBlockContext added;
      synchronized (this) {
        final long number = headers.size();
        final List<TransactionReceipt> blockReceipts = store(number, logs);
        final BlockHeader header = headers.get(number);
        added = new AddedBlockContext() {
          @Override
          public BlockHeader getBlockHeader() {
            return header;
          }

          @Override
          public List<? extends TransactionReceipt> getTransactionReceipts() {
            return blockReceipts;
          }
        };
      }
      List.copyOf(listeners.values()).forEach(l -> l.onBlockAdded(added));
    }

    public synchronized long head() {
      return headers.size() - 1;
    }

    private List<TransactionReceipt> store(final long number, final List<ChainLog> logs) {
      final Hash hash = Hash.wrap(Bytes32.leftPad(Bytes.ofUnsignedLong(number + 1_000_000)));
      headers.put(number, new BlockHeader() {
        @Override
        public long getNumber() {
          return number;
        }

        @Override
        public Hash getBlockHash() {
          return hash;
        }
      });
      final List<Log> besuLogs = logs.stream().map(Chain::besuLog).toList();
      final List<TransactionReceipt> blockReceipts = List.of(() -> besuLogs);
      receipts.put(hash, blockReceipts);
      return blockReceipts;
    }

    private static Log besuLog(final ChainLog log) {
      return new Log() {
        @Override
        public Address getLogger() {
          return Address.fromHexString(log.address());
        }

        @Override
        public List<? extends Bytes32> getTopics() {
          return log.topics().stream().map(Bytes32::fromHexString).toList();
        }

        @Override
        public Bytes getData() {
          return Bytes.fromHexString(log.data());
        }
      };
    }
  }

  public static final class Rules implements TransactionValidatorService {
    private final List<TransactionValidationRule> registered = new ArrayList<>();

    @Override
    public void registerTransactionValidatorRule(final TransactionValidationRule rule) {
      registered.add(rule);
    }

    public List<TransactionValidationRule> registered() {
      return List.copyOf(registered);
    }

    /** Besu's verdict: the first rule's reason, if any. */
    public Optional<String> validate(final Transaction tx) {
      return registered.stream().map(r -> r.validate(tx)).flatMap(Optional::stream).findFirst();
    }
  }

  public static final class Selection implements TransactionSelectionService {
    private PluginTransactionSelectorFactory factory;

    @Override
    public void registerPluginTransactionSelectorFactory(final PluginTransactionSelectorFactory transactionSelectorFactory) {
      this.factory = transactionSelectorFactory;
    }

    public TransactionSelectionResult preProcess(final Transaction tx) {
      final PendingTransaction pending = () -> tx;
      return factory.create(new SelectorsStateManager()).evaluateTransactionPreProcessing(() -> pending);
    }
  }

  /** A transaction as Besu's datatypes show it. */
  public static Transaction tx(final String to, final byte[] payload) {
    final Hash hash = Hash.wrap(Bytes32.wrap(org.web3j.crypto.Hash.sha3(Arrays.copyOf(payload, payload.length + 1))));
    return new Transaction() {
      @Override
      public Hash getHash() {
        return hash;
      }

      @Override
      public Optional<? extends Address> getTo() {
        return Optional.ofNullable(to).map(Address::fromHexString);
      }

      @Override
      public Bytes getPayload() {
        return Bytes.wrap(payload);
      }
    };
  }
}
