package dev.rendezvous.browser;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** One page in one browser, with the demo page's controls and its read-only test hook. */
final class BrowserPage {

    static final Duration WAIT = Duration.ofSeconds(20);

    private final String name;
    private final RemoteWebDriver driver;

    BrowserPage(String name, RemoteWebDriver driver) {
        this.name = name;
        this.driver = driver;
    }

    String name() {
        return name;
    }

    RemoteWebDriver driver() {
        return driver;
    }

    Object script(String javascript) {
        return ((JavascriptExecutor) driver).executeScript(javascript);
    }

    /** The demo page's state: {@code window.__rendezvousDemo.snapshot()}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> snapshot() {
        Object value = script("return window.__rendezvousDemo ? window.__rendezvousDemo.snapshot() : {}");
        return (Map<String, Object>) value;
    }

    Object state(String key) {
        return snapshot().get(key);
    }

    @SuppressWarnings("unchecked")
    String callState() {
        Map<String, Object> call = (Map<String, Object>) state("call");
        return call == null ? "idle" : (String) call.get("connectionState");
    }

    @SuppressWarnings("unchecked")
    boolean chatOpen() {
        Map<String, Object> call = (Map<String, Object>) state("call");
        return call != null && Boolean.TRUE.equals(call.get("chatOpen"));
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> chat() {
        return (List<Map<String, Object>>) state("chat");
    }

    long inboundAudioPackets() {
        return ((Number) script("return window.__rendezvousDemo.inboundAudioPackets()")).longValue();
    }

    /** The signaling log as shown, one "type info" line per entry, oldest first; unlike the notice it stays. */
    @SuppressWarnings("unchecked")
    List<String> logLines() {
        return (List<String>) script("return [...document.querySelectorAll('#log li')]"
                + ".map(li => li.querySelector('.type').textContent + ' ' + li.querySelector('.info').textContent)");
    }

    String notice() {
        return (String) state("notice");
    }

    /** Waits (bounded) until the condition holds; the message says what never happened. */
    void await(String what, Predicate<BrowserPage> condition) {
        new WebDriverWait(driver, WAIT, Duration.ofMillis(100))
                .withMessage(() -> name + ": " + what + " (state: " + snapshotOrError() + ")")
                .until(d -> condition.test(this));
    }

    void awaitOnline() {
        await("signaling open", page -> "open".equals(page.state("signaling")));
    }

    void call(String peerId) {
        WebElement peer = driver.findElement(By.id("peer-id"));
        peer.clear();
        peer.sendKeys(peerId);
        driver.findElement(By.id("call")).click();
    }

    void sendChat(String text) {
        driver.findElement(By.id("chat-input")).sendKeys(text);
        driver.findElement(By.id("chat-send")).click();
    }

    String text(String elementId) {
        return driver.findElement(By.id(elementId)).getText();
    }

    private String snapshotOrError() {
        try {
            return String.valueOf(snapshot());
        } catch (RuntimeException e) {
            return e.toString();
        }
    }
}
