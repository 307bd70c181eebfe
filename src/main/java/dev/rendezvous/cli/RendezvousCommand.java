package dev.rendezvous.cli;

import dev.rendezvous.config.ServerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The command line. Every option can also be set as a {@code RENDEZVOUS_*} environment variable
 * and as a key of the {@code --config} file; flag > environment > file > default
 * ({@link ConfigSources}). No logic beyond reading settings: {@link Actions} is handed the result.
 */
@Command(name = "rendezvous", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        customSynopsis = {"rendezvous [OPTIONS]", "rendezvous [OPTIONS] (token | check-config | print-config)"},
        description = "WebRTC signaling relay: binds WebSockets at /websocket/?finger=<ID> to IDs and "
                + "forwards JSON messages to the socket named in 'to'.",
        footer = {"", "Every option can also be set as RENDEZVOUS_<OPTION> (--max-message-bytes: "
                + "RENDEZVOUS_MAX_MESSAGE_BYTES) or as a key of the --config file (max-message-bytes = 65536). "
                + "Precedence: flag > environment > file > default. Durations: 250ms, 20s, 5m, 1h, PT20S or "
                + "bare seconds."})
public final class RendezvousCommand implements Callable<Integer> {

    @Mixin
    ServerOptions server;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    AccessOptions access;

    @Mixin
    AuthOptions auth;

    @Mixin
    EdgeOptions edge;

    @Mixin
    OperationsOptions operations;

    @Option(names = "--config", scope = ScopeType.INHERIT,
            description = "A file of key = value lines, keys named like the long options (port = 8080).")
    Path configFile;

    @Spec
    CommandSpec spec;

    private final Actions actions;
    private final ConfigSources sources;

    private RendezvousCommand(Actions actions, ConfigSources sources) {
        this.actions = actions;
        this.sources = sources;
    }

    /**
     * Runs the command line as {@code main} does: reads the config file that {@code --config} or
     * {@code RENDEZVOUS_CONFIG} names, refuses unknown variables and keys, then executes. A bad
     * setting prints one line and exits 2, never the whole usage text, which would bury the reason
     * in a supervisor's log.
     */
    public static int run(String[] args, Map<String, String> environment, Actions actions, PrintWriter out,
            PrintWriter err) {
        CommandLine cli;
        try {
            cli = commandLine(args, environment, actions);
        } catch (IllegalArgumentException e) {
            err.println("rendezvous: " + e.getMessage() + " (see --help)");
            err.flush();
            return 2;
        }
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /** The command line with its sources read; throws {@link IllegalArgumentException} for a bad file or name. */
    static CommandLine commandLine(String[] args, Map<String, String> environment, Actions actions) {
        Path file = configPath(args, environment);
        ConfigSources sources = new ConfigSources(environment, file == null ? null : ConfigFile.read(file));
        CommandLine cli = new CommandLine(new RendezvousCommand(actions, sources));
        cli.addSubcommand(new TokenCommand());
        cli.addSubcommand(new CheckConfigCommand());
        cli.addSubcommand(new PrintConfigCommand());
        cli.setDefaultValueProvider(sources);
        cli.setParameterExceptionHandler((e, failedArgs) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println("rendezvous: " + e.getMessage() + " (see --help)");
            command.getErr().flush();
            return command.getCommandSpec().exitCodeOnInvalidInput();
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                command.getErr().println("rendezvous: " + e.getMessage());
                command.getErr().flush();
                return command.getCommandSpec().exitCodeOnInvalidInput();
            }
            throw e;
        });
        OptionHelp.install(cli);
        Set<String> keys = settings(cli.getCommandSpec()).stream().map(ConfigSources::key).collect(Collectors.toSet());
        sources.answerOnly(keys);
        String unknown = sources.unknownName(keys);
        if (unknown != null) {
            throw new IllegalArgumentException(unknown);
        }
        return cli;
    }

    /** {@code --config FILE} or {@code --config=FILE} from the arguments, else {@code RENDEZVOUS_CONFIG}. */
    private static Path configPath(String[] args, Map<String, String> environment) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        String variable = environment.get(ConfigSources.variable("config"));
        return variable == null || variable.isEmpty() ? null : Path.of(variable);
    }

    /** Every option that is a setting: all but --help, --version and --config itself. */
    static List<OptionSpec> settings(CommandSpec command) {
        return command.options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp() && !ConfigSources.key(o).equals("config"))
                .toList();
    }

    Actions actions() {
        return actions;
    }

    /** The validated configuration; {@code command} is the command that matched (this one or a subcommand). */
    ServerConfig configFor(CommandSpec command) {
        try {
            ServerConfig.Builder config = ServerConfig.builder();
            for (Options group : List.<Options>of(server, cluster, access, auth, edge, operations)) {
                group.applyTo(config);
            }
            return config.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }

    /** Secrets are options whose name ends in -secret or -token. */
    static boolean isSecret(OptionSpec option) {
        String key = ConfigSources.key(option);
        return key.endsWith("-secret") || key.endsWith("-token");
    }

    /** The effective value as print-config shows it. */
    String shown(OptionSpec option, CommandSpec command) {
        Object value = option.getValue();
        if (value == null || value instanceof Collection<?> list && list.isEmpty()) {
            return "";
        }
        if (isSecret(option)) {
            return "****";
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        if (value instanceof Boolean on) {
            return on ? "on" : "off";
        }
        if (value instanceof Enum<?> constant) {
            return constant.name().toLowerCase(java.util.Locale.ROOT);
        }
        return String.valueOf(value);
    }

    /** flag, env VARIABLE, file PATH:LINE or default. */
    String sourceOf(OptionSpec option, CommandSpec command) {
        for (CommandSpec matched : Set.of(command, spec)) {
            CommandLine.ParseResult parsed = matched.commandLine().getParseResult();
            if (parsed != null && parsed.hasMatchedOption(option.longestName())) {
                return "flag";
            }
        }
        String source = sources.sourceOf(ConfigSources.key(option));
        return source == null ? "default" : source;
    }

    @Override
    public Integer call() {
        return actions.serve(configFor(spec));
    }
}
