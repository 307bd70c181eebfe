package dev.rendezvous.cli;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option not given on the command line gets its value: its {@code RENDEZVOUS_*}
 * environment variable, then the config file, then (returning null) the built-in default. So the
 * precedence is flag > environment > file > default. Remembers which source gave each value for
 * {@code print-config}. An empty variable or value counts as unset.
 */
final class ConfigSources implements IDefaultValueProvider {

    static final String PREFIX = "RENDEZVOUS_";

    private final Map<String, String> environment;
    private final ConfigFile file;
    private final Map<String, String> sources = new HashMap<>();
    private Set<String> keys = Set.of();

    ConfigSources(Map<String, String> environment, ConfigFile file) {
        this.environment = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(PREFIX)) {
                this.environment.put(name, value);
            }
        });
        this.file = file;
    }

    /** {@code --max-message-bytes} → {@code max-message-bytes}. */
    static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    /** {@code max-message-bytes} → {@code RENDEZVOUS_MAX_MESSAGE_BYTES}. */
    static String variable(String key) {
        return PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String key = key(option);
        if (!keys.contains(key)) {
            return null;
        }
        String variable = variable(key);
        String fromEnvironment = environment.get(variable);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            sources.put(key, "env " + variable);
            return fromEnvironment;
        }
        ConfigFile.Entry entry = file == null ? null : file.entries().get(key);
        if (entry != null && !entry.value().isEmpty()) {
            sources.put(key, "file " + file.path() + ":" + entry.line());
            return entry.value();
        }
        return null;
    }

    /** The settings this provider answers for: the main command's; a subcommand's own options have none. */
    void answerOnly(Set<String> settingKeys) {
        this.keys = Set.copyOf(settingKeys);
    }

    /** Where the value of {@code key} came from when not from a flag: env, file or null (default). */
    String sourceOf(String key) {
        return sources.get(key);
    }

    /**
     * The first {@code RENDEZVOUS_*} variable or file key that names no option, as a one-line
     * reason, or null when all are known. A typo must not silently leave a setting at its default.
     */
    String unknownName(Set<String> keys) {
        for (String variable : environment.keySet()) {
            if (!variable.equals(variable("config")) && keys.stream().noneMatch(key -> variable(key).equals(variable))) {
                return "unknown environment variable " + variable;
            }
        }
        if (file != null) {
            for (Map.Entry<String, ConfigFile.Entry> entry : file.entries().entrySet()) {
                if (entry.getKey().equals("config")) {
                    return "config file " + file.path() + " line " + entry.getValue().line()
                            + ": a config file cannot name another one";
                }
                if (!keys.contains(entry.getKey())) {
                    return "config file " + file.path() + " line " + entry.getValue().line()
                            + ": unknown key '" + entry.getKey() + "'";
                }
            }
        }
        return null;
    }
}
