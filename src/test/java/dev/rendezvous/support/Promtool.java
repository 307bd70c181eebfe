package dev.rendezvous.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus's {@code promtool} (Debian's {@code prometheus} package). Skips the test when it is
 * missing on a laptop; fails when {@code CI=true}.
 */
public final class Promtool {

    /** What one run printed (stdout and stderr together) and returned. */
    public record Result(int exitCode, String output) {
    }

    private final String binary;

    private Promtool(String binary) {
        this.binary = binary;
    }

    public static Promtool find() {
        for (String dir : List.of("/usr/bin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return new Promtool(candidate.toString());
            }
        }
        String message = "promtool not found (apt-get install prometheus, or run scripts/install-deps)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
        return null;
    }

    /** {@code promtool <args>} with {@code stdin} (may be null), bounded to 60 s. */
    public Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("promtool-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool " + String.join(" ", args) + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
