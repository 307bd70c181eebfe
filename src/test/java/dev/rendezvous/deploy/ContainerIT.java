package dev.rendezvous.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rendezvous.support.NodeProcess;
import dev.rendezvous.support.TestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile, built FROM scratch by scripts/container with Debian's buildah (no registry, no
 * base image), in storage of its own; the image's entrypoint runs with {@code buildah run} (chroot
 * isolation: this machine's crun cannot create cgroups) and serves a relay.
 */
class ContainerIT {

    private static final Path BUILDAH = Path.of("/usr/bin/buildah");

    private static Path folder;
    private static Map<String, String> buildah;
    private static String image;

    @BeforeAll
    static void build() throws Exception {
        assumeBuildah();
        folder = Files.createTempDirectory("rendezvous-container-");
        Path storage = folder.resolve("storage.conf");
        Files.writeString(storage, "[storage]\ndriver = \"vfs\"\ngraphroot = \"" + folder.resolve("graph")
                + "\"\nrunroot = \"" + folder.resolve("run") + "\"\n", StandardCharsets.UTF_8);
        buildah = Map.of("CONTAINERS_STORAGE_CONF", storage.toString(), "BUILDAH_ISOLATION", "chroot",
                "PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        PackageBuild.tarball();
        image = PackageBuild.lastLine(PackageBuild.run(folder.resolve("container.log"), 600, buildah,
                "scripts/container", "--no-build"));
    }

    /** Skips on a laptop without buildah (or not root: rootless storage needs more set-up); fails in CI. */
    private static void assumeBuildah() {
        boolean usable = Files.isExecutable(BUILDAH) && "root".equals(System.getProperty("user.name"));
        String message = "needs " + BUILDAH + " and root (apt-get install buildah, or run scripts/install-deps)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertTrue(usable, message);
        } else {
            assumeTrue(usable, message);
        }
    }

    @AfterAll
    static void removeStorage() throws Exception {
        if (folder == null) {
            return;
        }
        try {
            buildah("rm", "--all");
            buildah("rmi", "--all", "--force");
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    void theImageRunsItsEntrypointAsNobodyAndServesARelay() throws Exception {
        assertThat(buildah("inspect", "--type", "image", "--format", "{{.OCIv1.Config.User}}", image).strip())
                .isEqualTo("65534:65534");
        List<String> entrypoint = buildah("inspect", "--type", "image", "--format",
                "{{range .OCIv1.Config.Entrypoint}}{{println .}}{{end}}", image).strip().lines().toList();
        assertThat(entrypoint).containsExactly("/opt/rendezvous/bin/rendezvous");
        String container = PackageBuild.lastLine(buildah("from", image));
        List<String> run = new ArrayList<>(List.of(BUILDAH.toString(), "run", container, "--"));
        run.addAll(entrypoint);
        try (NodeProcess node = NodeProcess.startLauncher(run, buildah)) {
            ProcessHandle jvm = ProcessHandle.of(node.pid()).orElseThrow().descendants()
                    .filter(process -> process.info().command().orElse("").endsWith("/runtime/bin/java"))
                    .findFirst().orElseThrow(() -> new AssertionError("no JVM under buildah run"));
            assertThat(jvm.info().user()).contains("nobody");
            try (TestClient a = TestClient.connect(node.port(), "box-a");
                 TestClient b = TestClient.connect(node.port(), "box-b")) {
                a.send("{\"to\":\"box-b\",\"type\":\"offer\"}");
                assertThat(b.receive()).isEqualTo("{\"to\":\"box-b\",\"type\":\"offer\"}");
            }
            // buildah run answers SIGTERM by killing its child; a container runtime passes it on to PID 1.
            jvm.destroy();
            assertThat(node.awaitExit(15)).as("the JVM drained and exited 0, and so did buildah run").isZero();
            assertThat(node.output()).contains("shutdown requested");
        }
    }

    private static String buildah(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(BUILDAH.toString()));
        command.addAll(List.of(args));
        return PackageBuild.run(Files.createTempFile(folder, "buildah-", ".log"), 120, buildah,
                command.toArray(String[]::new));
    }
}
