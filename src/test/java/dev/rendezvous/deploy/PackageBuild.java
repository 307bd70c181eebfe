package dev.rendezvous.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The tarball of scripts/package, built once per test JVM from the jar mvn package made (jlink
 * takes a while, and the package and container tests share it), and the commands around it.
 */
final class PackageBuild {

    private static Path tarball;

    private PackageBuild() {
    }

    static synchronized Path tarball() throws Exception {
        if (tarball == null) {
            Path log = Files.createTempFile("rendezvous-package-", ".log");
            try {
                Path built = Path.of(lastLine(run(log, 600, Map.of(), "scripts/package", "--no-build")));
                assertThat(built.getFileName().toString()).matches("rendezvous-[^-]+-linux-x64\\.tar\\.gz");
                tarball = built.toAbsolutePath();
            } finally {
                Files.deleteIfExists(log);
            }
        }
        return tarball;
    }

    /**
     * Runs a command to its end within {@code seconds}, with {@code environment} added to the
     * test's, expecting exit 0; returns what it printed (stdout and stderr, in {@code log}).
     */
    static String run(Path log, long seconds, Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " still running after " + seconds + " s");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s exits 0:%n%s", String.join(" ", command), output).isZero();
        return output;
    }

    static String lastLine(String output) {
        List<String> lines = output.strip().lines().toList();
        assertThat(lines).isNotEmpty();
        return lines.get(lines.size() - 1);
    }
}
