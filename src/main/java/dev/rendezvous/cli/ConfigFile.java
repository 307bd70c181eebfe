package dev.rendezvous.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optional {@code --config} file: one {@code key = value} per line, keys named like the long
 * flags without their dashes ({@code max-message-bytes = 65536}). Blank lines and lines starting
 * with {@code #} are ignored; the value is everything after the first {@code =}, stripped (so JSON
 * and {@code #} inside values are fine).
 */
final class ConfigFile {

    record Entry(String value, int line) {
    }

    private final Path path;
    private final Map<String, Entry> entries;

    private ConfigFile(Path path, Map<String, Entry> entries) {
        this.path = path;
        this.entries = entries;
    }

    static ConfigFile read(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read config file " + path + ": " + e.getMessage());
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String where = "config file " + path + " line " + (i + 1);
            if (eq <= 0) {
                throw new IllegalArgumentException(where + ": expected key = value");
            }
            String key = line.substring(0, eq).strip();
            if (key.startsWith("--")) {
                key = key.substring(2);
            }
            if (entries.putIfAbsent(key, new Entry(line.substring(eq + 1).strip(), i + 1)) != null) {
                throw new IllegalArgumentException(where + ": '" + key + "' is set twice");
            }
        }
        return new ConfigFile(path, entries);
    }

    Path path() {
        return path;
    }

    Map<String, Entry> entries() {
        return entries;
    }
}
