package io.tensorlink.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tensorlink.chain.job.churn.ChurnWatch;
import io.tensorlink.chain.job.worker.LazyFault;
import io.tensorlink.chain.job.worker.WorkerOptions;
import io.tensorlink.chain.node.JobFlow;
import io.tensorlink.chain.node.NetworkSettings;
import io.tensorlink.chain.node.NodeConfig;
import io.tensorlink.chain.node.NodeIdentity;
import io.tensorlink.chain.node.Role;
import io.tensorlink.chain.node.StandaloneNode;
import io.tensorlink.chain.node.WorkerRole;
import io.tensorlink.chain.node.XmrJobs;
import io.tensorlink.chain.pol.Bid;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.store.StoreException;
import io.tensorlink.chain.validator.ValidatorConfig;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.TlCli;
import io.tensorlink.cli.config.ConfigKeys;
import io.tensorlink.cli.contracts.AccountOptions;
import io.tensorlink.cli.contracts.ChainOptions;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.TlAmount;
import io.tensorlink.cli.p2p.P2pCommand;
import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.xmr.XmrNodeOptions;
import io.tensorlink.cli.support.JsonOption;
import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl-cli node start|status|stop|peers|logs}: the long-running TensorLink node. */
@Command(name = "node", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
    footer = {"  tl-cli node start --roles validator --p2p-port 4001", "  tl-cli node status"},
    description = "Run a TensorLink node (client, worker and/or validator roles) and inspect or stop it.")
public final class NodeCommand {
  /** The commands of this group, built only when a command line names the group (see CommandTree). */
  public static List<Class<?>> commands() {
    return List.of(NodeCommand.Start.class, NodeCommand.Status.class, NodeCommand.Stop.class, NodeCommand.Peers.class,
        NodeCommand.Logs.class);
  }

  static final int DEFAULT_RPC_PORT = 8645;

  /** The comma-separated roles of a node or peer object from tl_nodeInfo / tl_peers. */
  static String rolesText(final JsonNode node) {
    final List<String> roles = new ArrayList<>();
    node.path("roles").forEach(r -> roles.add(r.asText()));
    return String.join(",", roles);
  }

  static Path runFile(final CliContext ctx) {
    return ctx.dataDir().resolve("node").resolve("node.json");
  }

  @Command(name = "start", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli node start --roles validator --password-file pw.txt",
          "  tl-cli node start --roles worker,client --p2p-port 0 --bootstrap /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW..."},
      description = {"Start the node in the foreground until SIGTERM or ctrl-C, which stop it cleanly.",
          "It listens for libp2p peers, announces its account binding, and serves tl_* JSON-RPC on loopback."})
  static final class Start implements Callable<Integer> {
    private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(2);
    // 20 s of silence: a loaded 2-core machine pauses a JVM for seconds, never for that long
    private static final int MISSED_HEARTBEATS = 10;

    @Spec CommandSpec spec;
    @Mixin ChainOptions chain;
    @Mixin AccountOptions account;
    @Mixin XmrNodeOptions xmr;

    @Option(names = "--roles", required = true, paramLabel = "<roles>", description = "Comma-separated: client, worker, validator.")
    String roles;

    @Option(names = "--p2p-host", defaultValue = "127.0.0.1", paramLabel = "<ip4>", description = "libp2p listen interface (default ${DEFAULT-VALUE}).")
    String p2pHost;

    @Option(names = "--p2p-port", paramLabel = "<port>", description = "libp2p TCP port (config key p2p.port; 0: any free port).")
    Integer p2pPort;

    @Option(names = "--bootstrap", paramLabel = "<multiaddr>", description = "A peer to dial at start (repeatable), with its /p2p/<id>; a circuit address (.../p2p-circuit/p2p/<id>) is dialled through its relay. With the DHT one address is enough: the node finds the rest.")
    List<String> bootstrap = new ArrayList<>();

    @Option(names = "--dht", defaultValue = "server", paramLabel = "<server|client|off>", description = "Kademlia DHT: server answers others' lookups, client only asks, off finds peers through --bootstrap alone (default ${DEFAULT-VALUE}; a node AutoNAT finds unreachable acts as a client).")
    String dht;

    @Option(names = "--peers-target", defaultValue = "20", paramLabel = "<n>", description = "While fewer peers are connected, dial peers the DHT found (default ${DEFAULT-VALUE}).")
    int peersTarget;

    @Option(names = "--dht-walk", defaultValue = "30", paramLabel = "<seconds>", description = "How often the node checks its peer count and, below --peers-target, looks up a random key to meet more peers (default ${DEFAULT-VALUE}).")
    int dhtWalkSeconds;

    @Option(names = "--reachability", defaultValue = "auto", paramLabel = "<auto|public|private>", description = "auto: peers dial this node back to tell whether it is publicly reachable (AutoNAT); public/private: say so. A node that is not reachable reserves a slot on a relay and advertises its circuit address (default ${DEFAULT-VALUE}).")
    String reachability;

    @Option(names = "--relay-service", description = "Relay circuits for peers that are not reachable (circuit relay v2 hop: 128 reservations, circuits of at most 2 min and 128 KiB).")
    boolean relayService;

    @Option(names = "--rpc-port", defaultValue = "" + DEFAULT_RPC_PORT, paramLabel = "<port>", description = "tl_* JSON-RPC port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0: any free port).")
    int rpcPort;

    @Option(names = "--metrics-port", paramLabel = "<port>", description = "Serve Prometheus /metrics on 127.0.0.1 at this port (0: any free port; default: off).")
    Integer metricsPort;

    @Option(names = "--models-dir", paramLabel = "<dir>", description = "Model specs a worker trains and a validator re-executes, by spec hash (default: the installation's models/).")
    Path modelsDir;

    @Option(names = "--bid-window", defaultValue = "30", paramLabel = "<seconds>", description = "Client: how long bids are taken after a job is announced (default ${DEFAULT-VALUE}).")
    int bidWindowSeconds;

    @Option(names = "--samples-per-chunk", defaultValue = "512", paramLabel = "<n>", description = "Client: samples per data chunk served to workers (default ${DEFAULT-VALUE}).")
    int samplesPerChunk;

    @Option(names = "--min-price", paramLabel = "<TL>", converter = TlAmount.class, description = "Worker: the lowest price per step it bids on, and its bid (default: any price).")
    BigInteger minPrice;

    @Option(names = "--max-threads", defaultValue = "1", paramLabel = "<n>", description = "Worker: CPU threads per job (default ${DEFAULT-VALUE}).")
    int maxThreads;

    @Option(names = "--backend", defaultValue = "cpu", paramLabel = "<cpu|cuda>", description = "Worker: what it trains on, as its bids say (default ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--micro-batches", defaultValue = "1", paramLabel = "<n>", description = "Worker: micro-batches per batch in a pipeline (default ${DEFAULT-VALUE}).")
    int microBatches;

    @Option(names = "--fault", paramLabel = "lazy:<fraction>", description = "Worker, devnet only (test): on this share of steps keep a made-up update and carry it on (caught only by re-execution).")
    String fault;

    @Option(names = "--standbys", defaultValue = "0", paramLabel = "<n>", description = "Client: standby workers per job, which take over the cell of a worker that goes silent (default ${DEFAULT-VALUE}).")
    int standbys;

    @Option(names = "--leader-timeout", defaultValue = "40", paramLabel = "<seconds>", description = "Validator: how long a block's leader has before the next takes over (default ${DEFAULT-VALUE}).")
    int leaderTimeoutSeconds;

    @Option(names = "--record-slack", defaultValue = "1000", paramLabel = "<ms>", description = "Validator: how long a leader waits after it holds a block's records before it takes the chain's randomness, so the other validators' gossiped copies count too (default ${DEFAULT-VALUE}).")
    long recordSlackMillis;

    @Override
    public Integer call() {
      final CliContext ctx = TlCli.context(spec);
      final Set<Role> parsedRoles = parseRoles(roles);
      final int port = p2pPort != null ? p2pPort : ctx.config().get(ConfigKeys.P2P_PORT);
      requirePort("--p2p-port", port);
      requirePort("--rpc-port", rpcPort);
      if (metricsPort != null) {
        requirePort("--metrics-port", metricsPort);
      }
      final List<Multiaddr> peers = bootstrap.stream().map(Start::bootstrapAddress).toList();
      final NetworkSettings network = network();
      final Optional<XmrJobs.Settings> xmrSettings = xmr.settings(ctx, parsedRoles);
      final Path run = runFile(ctx);
      NodeRunFile.readLive(run).ifPresent(r -> {
        throw new CliException("a node already runs from this data dir (pid " + r.pid() + ", rpc " + r.rpcUrl() + ")", ExitCodes.FAILURE);
      });
      final ChainSession session = ChainSession.open(ctx, chain);
      final NodeConfig config;
      try {
        final Credentials key = account.unlock(ctx, session.chainId());
        final ContractSuite suite = session.suite(key);
        final Deployment deployment = suite.deployment();
        final PolDomain domain = PolDomain.of(session.chainId(), EthAddress.of(deployment.address(SuiteContract.POL_ANCHOR)));
        final Map<String, String> contracts = new TreeMap<>();
        for (final SuiteContract c : SuiteContract.values()) {
          contracts.put(c.solidityName(), deployment.address(c));
        }
        config = new NodeConfig(run.getParent(), parsedRoles, P2pCommand.nodeKey(ctx),
            Multiaddr.parse("/ip4/" + p2pHost + "/tcp/" + port), peers, new InetSocketAddress("127.0.0.1", rpcPort),
            Optional.ofNullable(metricsPort).map(p -> new InetSocketAddress("127.0.0.1", p)),
            Optional.of(new NodeIdentity(key, session.chainId(), domain)), contracts, Duration.ofSeconds(10))
            .withJobs(jobs(ctx, session, deployment, parsedRoles, xmrSettings)).withNetwork(network);
      } catch (IllegalArgumentException e) {
        session.close();
        throw new CliException(e.getMessage(), ExitCodes.USAGE, e);
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
      try {
        return runUntilStopped(ctx, config, run);
      } finally {
        session.close();
      }
    }

    private NetworkSettings network() {
      final NetworkSettings.DhtMode mode = switch (dht) {
        case "server" -> NetworkSettings.DhtMode.SERVER;
        case "client" -> NetworkSettings.DhtMode.CLIENT;
        case "off" -> NetworkSettings.DhtMode.OFF;
        default -> throw new CliException("--dht must be server, client or off, got " + dht, ExitCodes.USAGE);
      };
      final NetworkSettings.ReachabilityMode reach = switch (reachability) {
        case "auto" -> NetworkSettings.ReachabilityMode.AUTO;
        case "public" -> NetworkSettings.ReachabilityMode.PUBLIC;
        case "private" -> NetworkSettings.ReachabilityMode.PRIVATE;
        default -> throw new CliException("--reachability must be auto, public or private, got " + reachability,
            ExitCodes.USAGE);
      };
      if (peersTarget < 0 || peersTarget > 1000) {
        throw new CliException("--peers-target must be 0..1000, got " + peersTarget, ExitCodes.USAGE);
      }
      if (dhtWalkSeconds < 1) {
        throw new CliException("--dht-walk must be >= 1 second, got " + dhtWalkSeconds, ExitCodes.USAGE);
      }
      return new NetworkSettings(mode, peersTarget, Duration.ofSeconds(dhtWalkSeconds), reach, relayService);
    }

    /** The job flow's settings from the role options; the chain connection stays open while the node runs. */
    private JobFlow.Setup jobs(final CliContext ctx, final ChainSession session, final Deployment deployment,
        final Set<Role> parsedRoles, final Optional<XmrJobs.Settings> xmrSettings) {
      if (standbys < 0) {
        throw new IllegalArgumentException("--standbys must be >= 0, got " + standbys);
      }
      if (recordSlackMillis < 0) {
        throw new IllegalArgumentException("--record-slack must be >= 0 ms, got " + recordSlackMillis);
      }
      if (bidWindowSeconds < 1 || samplesPerChunk < 1 || microBatches < 1 || leaderTimeoutSeconds < 1) {
        throw new IllegalArgumentException("--bid-window, --samples-per-chunk, --micro-batches and --leader-timeout must be"
            + " >= 1, got " + bidWindowSeconds + ", " + samplesPerChunk + ", " + microBatches + ", " + leaderTimeoutSeconds);
      }
      if (maxThreads < 1 || maxThreads > Runtime.getRuntime().availableProcessors() * 4) {
        throw new IllegalArgumentException("--max-threads must be 1.." + Runtime.getRuntime().availableProcessors() * 4
            + ", got " + maxThreads);
      }
      final Bid.Backend parsedBackend = switch (backend) {
        case "cpu" -> Bid.Backend.CPU;
        case "cuda" -> Bid.Backend.CUDA;
        default -> throw new IllegalArgumentException("--backend must be cpu or cuda, got " + backend);
      };
      if (parsedBackend == Bid.Backend.CUDA) {
        throw new IllegalArgumentException("--backend cuda: this build trains on the CPU engine only");
      }
      final Optional<LazyFault> lazy = fault == null ? Optional.empty() : LazyFault.parse(fault, session.chainId(), 0);
      if (lazy.isPresent() && !parsedRoles.contains(Role.WORKER)) {
        throw new IllegalArgumentException(LazyFault.FLAG + " applies to the worker role only");
      }
      final Path dir = modelsDir != null ? modelsDir : ctx.home().resolve("models");
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("--models-dir " + dir + " is not a directory");
      }
      final WorkerOptions run = WorkerOptions.defaults().withMicroBatches(microBatches)
          .withCheckpoints(ctx.dataDir().resolve("checkpoints"), 10);
      final Optional<JobFlow.WorkerSetup> worker = parsedRoles.contains(Role.WORKER)
          ? Optional.of(new JobFlow.WorkerSetup(minPrice == null ? BigInteger.ZERO : minPrice, parsedBackend, new WorkerRole.Options(maxThreads, run, lazy,
              HEARTBEAT_EVERY, Duration.ofSeconds(30)), Duration.ofSeconds(1), 1_000))
          : Optional.empty();
      final ValidatorConfig validator = ValidatorConfig.defaults().withConfirmations(0)
          .withLeaderTimeout(Duration.ofSeconds(leaderTimeoutSeconds)).withSubmitGrace(Duration.ofSeconds(2))
          .withActiveSetRefresh(Duration.ofSeconds(5))
          .withRecordSlack(Duration.ofMillis(recordSlackMillis))
          // A proposal's randomness block may be this far behind when a slow validator has verified it:
          // at one block a second, verification on a loaded machine takes tens of blocks.
          .withRandomnessWindow(200);
      final JobFlow.Setup setup = new JobFlow.Setup(session.web3j(), deployment, dir, ctx.dataDir().resolve("jobs"),
          Duration.ofSeconds(bidWindowSeconds), samplesPerChunk, worker, validator, Duration.ofMillis(500), standbys,
          new ChurnWatch.Timing(HEARTBEAT_EVERY, MISSED_HEARTBEATS));
      return xmrSettings.map(setup::withXmr).orElse(setup);
    }

    private int runUntilStopped(final CliContext ctx, final NodeConfig config, final Path run) {
      final StandaloneNode node;
      try {
        node = StandaloneNode.start(config);
      } catch (StoreException e) {
        throw new CliException(e.getMessage(), ExitCodes.CONFIG, e);
      } catch (RuntimeException e) {
        throw new CliException("node failed to start: " + e.getMessage(), ExitCodes.FAILURE, e);
      }
      final CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("node-shutdown").unstarted(() -> {
        node.close();
        deleteQuietly(run);
        stopped.countDown();
      }));
      final String rpcUrl = "http://127.0.0.1:" + node.rpcAddress().getPort() + "/";
      final String metricsUrl = node.metricsPort().map(p -> "http://127.0.0.1:" + p + "/metrics").orElse(null);
      final List<String> addrs = node.listenAddresses().stream().map(Multiaddr::toString).toList();
      new NodeRunFile(ProcessHandle.current().pid(), rpcUrl, metricsUrl, node.host().peerId().toBase58(), addrs).write(run);
      final PrintWriter out = ctx.out();
      out.println("node up: peer " + node.host().peerId().toBase58() + ", roles " + roles);
      addrs.forEach(a -> out.println("  p2p     " + a));
      out.println("  rpc     " + rpcUrl);
      if (metricsUrl != null) {
        out.println("  metrics " + metricsUrl);
      }
      out.println("stop with ctrl-C or 'tl-cli node stop'");
      out.flush();
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ExitCodes.OK;
    }

    private static Set<Role> parseRoles(final String text) {
      try {
        return Role.parseList(text);
      } catch (IllegalArgumentException e) {
        throw new CliException("--roles: " + e.getMessage(), ExitCodes.USAGE, e);
      }
    }

    private static Multiaddr bootstrapAddress(final String text) {
      final Multiaddr address;
      try {
        address = Multiaddr.parse(text);
      } catch (IllegalArgumentException e) {
        throw new CliException("--bootstrap " + text + " is not a multiaddr: " + e.getMessage(), ExitCodes.USAGE, e);
      }
      if (address.peerId().isEmpty()) {
        throw new CliException("--bootstrap " + text + " has no /p2p/<peer id>", ExitCodes.USAGE);
      }
      return address;
    }

    private static void requirePort(final String flag, final int port) {
      if (port < 0 || port > 65535) {
        throw new CliException(flag + " must be 0..65535, got " + port, ExitCodes.USAGE);
      }
    }

    private static void deleteQuietly(final Path file) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // Best effort in a shutdown hook: a stale run file reads as "not running" (its pid is gone).
      }
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli node status", "  tl-cli node status --json"},
      description = "Show the running node's identity, roles, chain, peer count, reachability (AutoNAT) and the addresses it advertises (exit 4 when none runs).")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      final CliContext ctx = TlCli.context(spec);
      final NodeRunFile run = NodeRunFile.requireLive(runFile(ctx));
      final NodeRpcClient rpc = new NodeRpcClient(run.rpcUrl());
      final JsonNode info = rpc.call("tl_nodeInfo");
      final int peers = rpc.call("tl_peers").size();
      final PrintWriter out = ctx.out();
      if (json.enabled()) {
        out.println(((ObjectNode) info.deepCopy()).put("pid", run.pid()).put("peers", peers).put("rpcUrl", run.rpcUrl()).toString());
        return ExitCodes.OK;
      }
      out.println("node     running (pid " + run.pid() + ")");
      out.println("peer     " + info.path("peerId").asText());
      out.println("account  " + (info.path("account").isNull() ? "-" : Units.address(info.path("account").asText())));
      out.println("roles    " + rolesText(info));
      out.println("chain    " + Long.decode(info.path("chainId").asText()));
      out.println("peers    " + peers);
      if (info.has("reachability")) {
        out.println("reach    " + info.path("reachability").asText());
        info.path("addresses").forEach(a -> out.println("address  " + a.asText()));
      }
      out.println("rpc      " + run.rpcUrl());
      if (run.metricsUrl() != null) {
        out.println("metrics  " + run.metricsUrl());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli node stop"},
      description = "Stop the running node with SIGTERM and wait until it has flushed its store and exited.")
  static final class Stop implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "<seconds>", description = "How long to wait (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
      final CliContext ctx = TlCli.context(spec);
      final NodeRunFile run = NodeRunFile.requireLive(runFile(ctx));
      final ProcessHandle process = ProcessHandle.of(run.pid()).orElseThrow(() ->
          new CliException("node pid " + run.pid() + " is gone", ExitCodes.NOT_RUNNING));
      process.destroy();
      try {
        process.onExit().get(timeoutSeconds, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new CliException("node pid " + run.pid() + " did not stop within " + timeoutSeconds + " s", ExitCodes.FAILURE, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted while waiting for the node to stop", ExitCodes.FAILURE, e);
      } catch (ExecutionException e) {
        throw new CliException("waiting for the node failed: " + e.getMessage(), ExitCodes.FAILURE, e);
      }
      ctx.out().println("node stopped (pid " + run.pid() + ")");
      return ExitCodes.OK;
    }
  }

  @Command(name = "peers", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli node peers", "  tl-cli node peers --json"},
      description = "List the running node's connected peers with their bound accounts and roles.")
  static final class Peers implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      final CliContext ctx = TlCli.context(spec);
      final JsonNode peers = new NodeRpcClient(NodeRunFile.requireLive(runFile(ctx)).rpcUrl()).call("tl_peers");
      final PrintWriter out = ctx.out();
      if (json.enabled()) {
        out.println(peers.toString());
        return ExitCodes.OK;
      }
      if (peers.isEmpty()) {
        out.println("no peers connected");
      }
      for (final JsonNode p : peers) {
        final String roles = rolesText(p);
        out.printf("%s  %s  %s  %s%n", p.path("peerId").asText(),
            p.path("account").isNull() ? "(no binding)" : Units.address(p.path("account").asText()),
            roles.isEmpty() ? "-" : roles, p.path("addresses").path(0).asText());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli node logs", "  tl-cli node logs -n 200"},
      description = "Print the last lines of the data dir's log file, which the node writes to.")
  static final class Logs implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-n", "--lines"}, defaultValue = "50", paramLabel = "<n>", description = "How many lines (default ${DEFAULT-VALUE}).")
    int lines;

    @Override
    public Integer call() {
      final CliContext ctx = TlCli.context(spec);
      if (lines < 1 || lines > 1_000_000) {
        throw new CliException("--lines must be 1..1000000, got " + lines, ExitCodes.USAGE);
      }
      final Path log = ctx.dataDir().resolve("logs").resolve("tl-cli.log");
      final List<String> all;
      try {
        all = Files.readAllLines(log);
      } catch (NoSuchFileException e) {
        throw new CliException("no log file at " + log + " yet", ExitCodes.NOT_RUNNING, e);
      } catch (IOException e) {
        throw new CliException("cannot read " + log + ": " + e.getMessage(), ExitCodes.FAILURE, e);
      }
      all.subList(Math.max(0, all.size() - lines), all.size()).forEach(ctx.out()::println);
      return ExitCodes.OK;
    }
  }
}
