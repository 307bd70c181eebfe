package dev.rendezvous.cli;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rendezvous print-config}: the effective settings and where each came from, secrets masked. */
@Command(name = "print-config", mixinStandardHelpOptions = true,
        description = "Print every effective setting as key = value with its source (flag, env, file or "
                + "default); secrets are shown as ****.")
final class PrintConfigCommand implements Callable<Integer> {

    @ParentCommand
    RendezvousCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        parent.configFor(spec);
        PrintWriter out = spec.commandLine().getOut();
        Collection<OptionSpec> options = RendezvousCommand.settings(spec.parent());
        int width = options.stream().mapToInt(o -> ConfigSources.key(o).length()).max().orElse(0);
        for (OptionSpec option : options) {
            String key = ConfigSources.key(option);
            String line = String.format("%-" + width + "s = %s", key, parent.shown(option, spec));
            out.printf("%-" + (width + 40) + "s  # %s%n", line, parent.sourceOf(option, spec));
        }
        out.flush();
        return 0;
    }
}
