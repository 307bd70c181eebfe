package dev.rendezvous.cli;

import dev.rendezvous.config.ServerConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rendezvous check-config}: validates every setting and file without starting. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate the settings (flags, RENDEZVOUS_* variables, --config file) and the files they "
                + "name, without starting. Exit 0 when valid, 2 with one line naming the problem.")
final class CheckConfigCommand implements Callable<Integer> {

    @ParentCommand
    RendezvousCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ServerConfig config = parent.configFor(spec);
        try {
            parent.actions().check(config);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        spec.commandLine().getOut().println("configuration ok");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
