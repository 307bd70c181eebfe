package dev.rendezvous.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * Opens pages, each in its own browser with its own profile. Right after every test method
 * (passed or failed, before any {@code @AfterEach} stops the server) it saves a screenshot of each
 * page to target/screenshots/&lt;test&gt;-&lt;page&gt;.png; after the test it quits the browsers and
 * deletes their profiles.
 */
final class Browsers implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final List<BrowserPage> pages = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();
    private String testName = "test";

    @Override
    public void beforeEach(ExtensionContext context) {
        Chromium.assumeInstalled();
        testName = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
    }

    /** A new browser profile showing {@code url}; {@code name} labels its screenshot. */
    BrowserPage open(String name, String url) {
        Path profile = Chromium.newProfile();
        profiles.add(profile);
        ChromeDriver driver = Chromium.launch(profile);
        BrowserPage page = new BrowserPage(name, driver);
        pages.add(page);
        driver.get(url);
        return page;
    }

    /** A MiniBrowser (WebKitGTK) page on {@code display}, with its own driver and a fresh profile. */
    BrowserPage openWebKit(String name, String url, WebKit.Display display) throws Exception {
        RemoteWebDriver driver = WebKit.launch(display);
        BrowserPage page = new BrowserPage(name, driver);
        pages.add(page);
        driver.get(url);
        return page;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        for (BrowserPage page : pages) {
            screenshot(page, SCREENSHOTS.resolve(testName + "-" + page.name() + ".png"));
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        pages.forEach(page -> page.driver().quit());
        pages.clear();
        profiles.forEach(Browsers::deleteTree);
        profiles.clear();
    }

    static void screenshot(BrowserPage page, Path target) {
        try {
            Files.write(target, page.driver().getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException e) {
            System.err.println("no screenshot of " + page.name() + ": " + e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
