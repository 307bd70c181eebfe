package dev.rendezvous.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.NodeProcess;
import dev.rendezvous.support.TestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The repository's {@code ./rendezvous}: it makes its class-data-sharing archive once (a training
 * run), and the JVM it starts maps that archive, serves, and can be told not to with
 * {@code JAVA_OPTS=-Xshare:off}; and it starts the JVM with {@code deploy/jvm.options}, which
 * {@code JAVA_OPTS} overrides.
 */
class LauncherIT {

    private static final Path TARGET = Path.of("target");
    /** One object per JFR event type, made when JFR loads its metadata. */
    private static final String JFR_EVENT_TYPE = "jdk.jfr.internal.PlatformEventType";
    /** What holds a chunk of Netty's pooled direct memory when Netty took it from malloc itself. */
    private static final String MALLOC_CHUNK = "io.netty.util.internal.DirectCleaner$CleanableDirectBufferImpl";
    /** What holds such a chunk when it came from the JDK's ByteBuffer.allocateDirect (zeroed, freed by a Cleaner). */
    private static final String JDK_CHUNK = "io.netty.util.internal.CleanerJava9$CleanableDirectBufferImpl";

    @Test
    void makesTheClassDataArchiveOnceAndStartsTheNodeWithIt() throws Exception {
        for (Path old : archives()) {
            Files.delete(old);
        }
        Path archive;
        try (NodeProcess node = NodeProcess.startLauncher(List.of("./rendezvous"), environment(""))) {
            List<Path> made = archives();
            assertThat(made).as("one archive made by the first start").hasSize(1);
            archive = made.get(0);
            assertThat(node.output()).contains("making the class-data archive " + TARGET.resolve(
                    archive.getFileName()));
            assertThat(mappedFiles(node.pid())).as("the JVM maps the archive")
                    .contains(archive.toRealPath().toString());
            relays(node.port());
            assertThat(node.terminate(15)).isZero();
        }
        FileTime made = Files.getLastModifiedTime(archive);
        try (NodeProcess node = NodeProcess.startLauncher(List.of("./rendezvous"), environment(""))) {
            assertThat(node.output()).doesNotContain("making the class-data archive");
            assertThat(Files.getLastModifiedTime(archive)).as("not made again").isEqualTo(made);
            assertThat(mappedFiles(node.pid())).contains(archive.toRealPath().toString());
            relays(node.port());
            assertThat(node.terminate(15)).isZero();
        }
        try (NodeProcess node = NodeProcess.startLauncher(List.of("./rendezvous"), environment("-Xshare:off"))) {
            assertThat(mappedFiles(node.pid())).as("-Xshare:off: no archive")
                    .doesNotContain(archive.toRealPath().toString());
            relays(node.port());
            assertThat(node.terminate(15)).isZero();
        }
    }

    @Test
    void startsTheNodeWithNettysLeakDetectorAndJfrEventsOffAndMallocBuffersUnlessJavaOptsSaysOtherwise()
            throws Exception {
        try (NodeProcess node = NodeProcess.startLauncher(List.of("./rendezvous"), environment(""))) {
            assertThat(systemProperties(node.pid())).contains("io.netty.leakDetection.level=disabled",
                    "io.netty.jfr.enabled=false", "io.netty.tryReflectionSetAccessible=true");
            relays(node.port());
            List<String> live = liveClasses(node.pid());
            assertThat(live).as("the first connections did not load JFR's metadata").doesNotContain(JFR_EVENT_TYPE);
            assertThat(live).as("Netty's first chunk came from malloc, not from the JDK's zeroed direct buffers")
                    .contains(MALLOC_CHUNK).doesNotContain(JDK_CHUNK);
            assertThat(node.terminate(15)).isZero();
        }
        try (NodeProcess node = NodeProcess.startLauncher(List.of("./rendezvous"), environment(
                "-Dio.netty.leakDetection.level=simple -Dio.netty.jfr.enabled=true"
                        + " -Dio.netty.tryReflectionSetAccessible=false"))) {
            assertThat(systemProperties(node.pid())).as("JAVA_OPTS comes after jvm.options and wins")
                    .contains("io.netty.leakDetection.level=simple", "io.netty.jfr.enabled=true",
                            "io.netty.tryReflectionSetAccessible=false")
                    .doesNotContain("io.netty.leakDetection.level=disabled", "io.netty.jfr.enabled=false",
                            "io.netty.tryReflectionSetAccessible=true");
            relays(node.port());
            List<String> live = liveClasses(node.pid());
            assertThat(live).as("Netty's first chunk loaded JFR's metadata").contains(JFR_EVENT_TYPE);
            assertThat(live).as("Netty's first chunk came from ByteBuffer.allocateDirect")
                    .contains(JDK_CHUNK).doesNotContain(MALLOC_CHUNK);
            assertThat(node.terminate(15)).isZero();
        }
    }

    /** The running JVM's system properties, one {@code key=value} per line, as jcmd prints them. */
    private static List<String> systemProperties(long pid) throws Exception {
        return jcmd(pid, "VM.system_properties");
    }

    /** A jcmd command's output lines. */
    private static List<String> jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output.lines().toList();
    }

    /** The classes with live instances in the running JVM, from jcmd's class histogram (after a full collection). */
    private static List<String> liveClasses(long pid) throws Exception {
        return jcmd(pid, "GC.class_histogram").stream()
                .map(line -> line.trim().split("\\s+"))
                .filter(columns -> columns.length >= 4 && columns[0].endsWith(":"))
                .map(columns -> columns[3])
                .toList();
    }

    private static void relays(int port) throws Exception {
        try (TestClient a = TestClient.connect(port, "launcher-a");
             TestClient b = TestClient.connect(port, "launcher-b")) {
            a.send("{\"to\":\"launcher-b\",\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}");
            assertThat(b.receive()).isEqualTo("{\"to\":\"launcher-b\",\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}");
        }
    }

    private static Map<String, String> environment(String javaOpts) {
        Map<String, String> environment = new HashMap<>();
        environment.put("PATH", System.getenv("PATH"));
        environment.put("HOME", System.getProperty("user.home"));
        environment.put("JAVA_OPTS", javaOpts);
        return environment;
    }

    private static List<Path> archives() throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(TARGET, "rendezvous-*.jsa")) {
            files.forEach(found::add);
        }
        return found;
    }

    /** The files the process has mapped, from /proc/PID/maps. */
    private static List<String> mappedFiles(long pid) throws IOException {
        List<String> files = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps"))) {
            int slash = line.indexOf('/');
            if (slash >= 0) {
                files.add(line.substring(slash));
            }
        }
        return files;
    }
}
