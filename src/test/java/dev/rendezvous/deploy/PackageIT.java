package dev.rendezvous.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rendezvous.support.NodeProcess;
import dev.rendezvous.support.Ports;
import dev.rendezvous.support.SelfSignedCertificate;
import dev.rendezvous.support.TestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tarball from scripts/package ({@link PackageBuild}), unpacked into an empty folder: it runs
 * without a JDK, reads its JVM options, and carries a runtime and a systemd unit that work.
 */
class PackageIT {

    /** No java anywhere on it: the package must bring its own. */
    private static final Map<String, String> NO_JDK = Map.of("PATH", "/nonexistent");
    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");

    private static Path folder;
    private static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        folder = Files.createTempDirectory("rendezvous-package-");
        Path unpacked = Files.createDirectory(folder.resolve("unpacked"));
        PackageBuild.run(folder.resolve("tar.log"), 60, Map.of(), "tar", "-xzf", PackageBuild.tarball().toString(),
                "-C", unpacked.toString());
        try (Stream<Path> top = Files.list(unpacked)) {
            List<Path> entries = top.toList();
            assertThat(entries).as("one folder at the top of the tarball").hasSize(1);
            home = entries.get(0);
        }
    }

    @AfterAll
    static void removeFolder() throws IOException {
        if (folder != null) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    void startsWithoutAJdkOnThePathAndServesARelay() throws Exception {
        ProcessBuilder lookup = new ProcessBuilder("/bin/sh", "-c", "command -v java").redirectErrorStream(true);
        lookup.environment().clear();
        lookup.environment().putAll(NO_JDK);
        Process java = lookup.start();
        assertThat(java.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as("java is not found on the PATH the node gets").isNotZero();
        try (NodeProcess node = NodeProcess.startLauncher(List.of(home.resolve("bin/rendezvous").toString()), NO_JDK)) {
            assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(node.pid()), "exe")))
                    .as("the JVM is the package's own").isEqualTo(home.resolve("runtime/bin/java").toRealPath());
            try (TestClient a = TestClient.connect(node.port(), "pkg-a");
                 TestClient b = TestClient.connect(node.port(), "pkg-b")) {
                a.send("{\"to\":\"pkg-b\",\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}");
                assertThat(b.receive()).isEqualTo("{\"to\":\"pkg-b\",\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}");
                b.send("{\"to\":\"pkg-a\",\"type\":\"answer\"}");
                assertThat(a.receive()).isEqualTo("{\"to\":\"pkg-a\",\"type\":\"answer\"}");
            }
            assertThat(node.terminate(15)).as("exit code after SIGTERM").isZero();
        }
    }

    @Test
    void makesItsClassDataArchiveOnceAndTheJvmMapsIt() throws Exception {
        Path archive = home.resolve("lib/rendezvous.jsa");
        try (NodeProcess node = NodeProcess.startLauncher(List.of(home.resolve("bin/rendezvous").toString()), NO_JDK)) {
            // Whichever test started the package first made it: lib/ is writable here.
            assertThat(home.resolve("lib/rendezvous.jsa.ok")).as("the archive is complete").isRegularFile();
            assertThat(Files.readString(Path.of("/proc", Long.toString(node.pid()), "maps")))
                    .as("the JVM maps the archive").contains(archive.toRealPath().toString());
            assertThat(node.output()).doesNotContain("could not be made");
            assertThat(node.terminate(15)).isZero();
        }
        try (NodeProcess node = NodeProcess.startLauncher(List.of(home.resolve("bin/rendezvous").toString()),
                Map.of("PATH", "/nonexistent", "JAVA_OPTS", "-Xshare:off"))) {
            assertThat(node.output()).doesNotContain("making the class-data archive");
            assertThat(Files.readString(Path.of("/proc", Long.toString(node.pid()), "maps")))
                    .as("-Xshare:off: no archive").doesNotContain(archive.toRealPath().toString());
            assertThat(node.terminate(15)).isZero();
        }
    }

    @Test
    void readsConfJvmOptionsAndJavaOptsWinsOverThem() throws Exception {
        Path options = home.resolve("conf/jvm.options");
        String shipped = Files.readString(options, StandardCharsets.UTF_8);
        assertThat(shipped).isEqualTo(Files.readString(Path.of("deploy/jvm.options"), StandardCharsets.UTF_8));
        Files.writeString(options, shipped + "-Xmx64m\n-XX:+PrintFlagsFinal\n", StandardCharsets.UTF_8);
        try (NodeProcess node = NodeProcess.startLauncher(List.of(home.resolve("bin/rendezvous").toString()),
                Map.of("PATH", "/nonexistent", "JAVA_OPTS", "-Xmx80m"))) {
            assertThat(node.output()).as("the file was read (PrintFlagsFinal), and JAVA_OPTS's heap won")
                    .containsPattern("size_t MaxHeapSize\\s+= 83886080 ");
        } finally {
            Files.writeString(options, shipped, StandardCharsets.UTF_8);
        }
    }

    @Test
    void itsRuntimeHasWhatTheNodeLoadsByName() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create();
        Path cert = folder.resolve("probe-cert.pem");
        Path key = folder.resolve("probe-key.pem");
        certificate.writePem(cert, key);
        String classpath = Path.of("target/test-classes").toAbsolutePath() + ":" + home.resolve("lib/rendezvous.jar");
        String output = PackageBuild.run(folder.resolve("probe.log"), 60, Map.of(),
                home.resolve("runtime/bin/java").toString(),
                "-Dcom.sun.management.jmxremote.port=" + Ports.freeForRestarts(),
                "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                "-cp", classpath, RuntimeProbe.class.getName(), cert.toString(), key.toString());
        assertThat(output).contains("ok tcnative", "ok tls handshake", "ok ec keys: SunEC", "ok jmx agent", "ok jfr",
                "ok jndi dns", "ok open files", "ok epoll").doesNotContain("FAILED");
    }

    @Test
    void itsSystemdUnitPassesSystemdAnalyzeVerify() throws Exception {
        assumeTrue(Files.isExecutable(SYSTEMD_ANALYZE), SYSTEMD_ANALYZE + " is not installed");
        Path shipped = home.resolve("systemd/rendezvous.service");
        String unit = Files.readString(shipped, StandardCharsets.UTF_8);
        assertThat(unit).isEqualTo(Files.readString(Path.of("deploy/systemd/rendezvous.service"), StandardCharsets.UTF_8));
        // verify checks that ExecStart exists: point it at this unpacked copy instead of /opt.
        Path copy = folder.resolve("rendezvous.service");
        Files.writeString(copy, unit.replace("/opt/rendezvous/", home + "/"), StandardCharsets.UTF_8);
        ProcessBuilder verify = new ProcessBuilder(SYSTEMD_ANALYZE.toString(), "verify", copy.toString());
        Path log = folder.resolve("verify.log");
        Process process = verify.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).as("no warning either (unknown keys are only warned about)").isEmpty();
    }
}
