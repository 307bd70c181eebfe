package dev.rendezvous.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The "may import" column of docs/ARCHITECTURE.md's package table, enforced: the core stays free of
 * Netty, Jackson, Lettuce and Micrometer, only the cluster package knows Redis, and only the
 * metrics package knows Micrometer.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/rendezvous");
    private static final Pattern IMPORT =
            Pattern.compile("^import (?:static )?([\\w.]+)(?:\\.\\*)?;", Pattern.MULTILINE);

    /** Per package, the prefixes its imports may start with, beyond java.* and its own package. */
    private static final Map<String, List<String>> ALLOWED = Map.of(
            "cli", List.of("dev.rendezvous.config", "dev.rendezvous.signaling", "dev.rendezvous.Version", "picocli"),
            "config", List.of("dev.rendezvous.signaling", "dev.rendezvous.protocol"),
            "signaling", List.of(),
            "protocol", List.of("dev.rendezvous.signaling", "com.fasterxml.jackson.core"),
            "cluster", List.of("dev.rendezvous.signaling", "dev.rendezvous.config", "io.lettuce", "org.slf4j"),
            "admission", List.of("dev.rendezvous.signaling", "dev.rendezvous.config", "com.nimbusds", "org.slf4j"),
            "transport", List.of("dev.rendezvous.signaling", "dev.rendezvous.protocol", "dev.rendezvous.config",
                    "dev.rendezvous.admission", "dev.rendezvous.metrics", "io.netty", "org.slf4j", "javax.net.ssl",
                    "javax.crypto"),
            "metrics", List.of("dev.rendezvous.signaling", "dev.rendezvous.admission.RefusalCause",
                    "dev.rendezvous.admission.Refusals", "dev.rendezvous.cluster.ClusterEvents", "io.micrometer",
                    "com.fasterxml.jackson.core", "io.netty.buffer.ByteBufAllocatorMetricProvider",
                    "io.netty.util.concurrent.EventExecutor"));

    private static boolean within(String name, String prefix) {
        return name.equals(prefix) || name.startsWith(prefix + ".");
    }

    @Test
    void everyPackageImportsOnlyWhatTheArchitectureAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, List<String>> rule : ALLOWED.entrySet()) {
            Path dir = SOURCES.resolve(rule.getKey());
            assertThat(dir).as("package %s exists", rule.getKey()).isDirectory();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher imports = IMPORT.matcher(Files.readString(file));
                    while (imports.find()) {
                        String imported = imports.group(1);
                        if (!within(imported, "java") && !within(imported, "dev.rendezvous." + rule.getKey())
                                && rule.getValue().stream().noneMatch(prefix -> within(imported, prefix))) {
                            violations.add(SOURCES.relativize(file) + " imports " + imported);
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
