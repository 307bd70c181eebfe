package dev.rendezvous.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rendezvous token --id X --ttl 1h [--peers A,B]}: a grant signed with the configured secret. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a grant (JWT, HS256) for one ID, signed with the first --auth-secret.")
final class TokenCommand implements Callable<Integer> {

    @Option(names = "--id", required = true, description = "The ID the grant admits (its sub, or --auth-id-claim).")
    String id;

    @Option(names = "--ttl", defaultValue = "1h", converter = DurationConverter.class,
            description = "How long the grant is valid (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(names = "--peers", split = ",",
            description = "Comma list of the only IDs this one may signal (the peers claim).")
    List<String> peers;

    @ParentCommand
    RendezvousCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ttl must be positive");
        }
        parent.actions().mintToken(parent.configFor(spec), new TokenRequest(id, ttl, peers == null ? List.of() : peers),
                spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
