package dev.rendezvous.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.MutableCapabilities;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * Debian's WebKitGTK (the engine of Safari) through its own WebDriver, {@code WebKitWebDriver},
 * which starts {@code MiniBrowser} in automation mode on an X display. Selenium's Java bindings
 * have no WebKitGTK driver class, so the session is a plain {@link RemoteWebDriver} with the
 * capabilities WebKitWebDriver reads ({@code browserName} MiniBrowser and
 * {@code webkitgtk:browserOptions}). Debian builds WebKitGTK without WebRTC, so only signaling is
 * tested in it.
 */
final class WebKit {

    static final Path DRIVER = Path.of("/usr/bin/WebKitWebDriver");
    static final Path BROWSER = Path.of("/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser");
    static final Path XVFB = Path.of("/usr/bin/Xvfb");

    private WebKit() {
    }

    /** Skips on a machine without WebKitGTK's driver or Xvfb, but fails in CI. */
    static void assumeInstalled() {
        boolean installed = Files.isExecutable(DRIVER) && Files.isExecutable(BROWSER) && Files.isExecutable(XVFB);
        String message = "needs " + DRIVER + ", " + BROWSER + " and " + XVFB
                + " (apt-get install webkit2gtk-driver xvfb)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertTrue(installed, message);
        } else {
            assumeTrue(installed, message);
        }
    }

    /** An Xvfb server on a display number it picks itself ({@code -displayfd}), for one test class. */
    static final class Display implements AutoCloseable {
        private final Process process;
        private final String name;

        private Display(Process process, String name) {
            this.process = process;
            this.name = name;
        }

        static Display start() throws Exception {
            Process process = new ProcessBuilder(XVFB.toString(), "-displayfd", "1", "-screen", "0", "1280x1024x24",
                    "-nolisten", "tcp").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            // Xvfb writes the display number once it accepts clients.
            CompletableFuture<String> number = CompletableFuture.supplyAsync(() -> {
                try {
                    return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();
                } catch (IOException e) {
                    return null;
                }
            });
            String line;
            try {
                line = number.get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
                throw new IllegalStateException("Xvfb did not report a display", e);
            }
            if (line == null || !line.strip().matches("[0-9]+")) {
                process.destroyForcibly();
                throw new IllegalStateException("Xvfb did not start: " + line);
            }
            return new Display(process, ":" + line.strip());
        }

        String name() {
            return name;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** A WebKitWebDriver of its own on a free port and one MiniBrowser session; quitting ends both. */
    static RemoteWebDriver launch(Display display) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(DRIVER.toString(), "--port=" + port, "--host=local")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DISPLAY", display.name());
        Process driverProcess = builder.start();
        try {
            awaitPort(port, driverProcess);
            MutableCapabilities capabilities = new MutableCapabilities();
            capabilities.setCapability("browserName", "MiniBrowser");
            capabilities.setCapability("webkitgtk:browserOptions",
                    Map.of("binary", BROWSER.toString(), "args", List.of("--automation")));
            RemoteWebDriver driver = new RemoteWebDriver(new URL("http://127.0.0.1:" + port), capabilities) {
                @Override
                public void quit() {
                    try {
                        super.quit();
                    } finally {
                        driverProcess.destroy();
                    }
                }
            };
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
            return driver;
        } catch (Exception | Error e) {
            driverProcess.destroyForcibly();
            throw e;
        }
    }

    private static void awaitPort(int port, Process driver) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!driver.isAlive()) {
                throw new IllegalStateException("WebKitWebDriver exited with " + driver.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("WebKitWebDriver did not listen on " + port);
    }
}
