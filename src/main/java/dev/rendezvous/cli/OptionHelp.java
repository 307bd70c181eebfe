package dev.rendezvous.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The option list of {@code --help}: each option with its description, its default and the
 * environment variable that sets it, generated so that no option can forget to say them.
 */
final class OptionHelp {

    private static final int NAME_WIDTH = 30;

    private OptionHelp() {
    }

    static void install(CommandLine cli) {
        cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> {
            int width = Math.max(80, help.commandSpec().usageMessage().width());
            TextTable table = TextTable.forColumns(help.colorScheme(),
                    new Column(NAME_WIDTH, 2, Column.Overflow.SPAN),
                    new Column(width - NAME_WIDTH, 1, Column.Overflow.WRAP));
            for (OptionSpec option : help.commandSpec().options()) {
                if (option.hidden()) {
                    continue;
                }
                String names = String.join(", ", option.names())
                        + (option.typeInfo().isBoolean() ? "" : " " + option.paramLabel());
                table.addRowValues(names, String.join(" ", option.description()) + details(option));
            }
            return table.toString();
        });
    }

    private static String details(OptionSpec option) {
        if (option.usageHelp() || option.versionHelp()) {
            return "";
        }
        String key = ConfigSources.key(option);
        String defaultValue = option.defaultValue();
        StringBuilder text = new StringBuilder();
        if (defaultValue != null && !RendezvousCommand.isSecret(option)) {
            text.append(" Default: ").append(defaultValue).append('.');
        }
        return text.append(" Env: ").append(ConfigSources.variable(key)).append('.').toString();
    }
}
