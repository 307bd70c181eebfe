package dev.rendezvous.browser;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.openqa.selenium.OutputType;

/**
 * The README's picture of a call: both pages side by side, written only when the build is run
 * with {@code -Ddemo.screenshot=docs/demo.png}.
 */
final class DemoScreenshot {

    private static final int GAP = 16;

    private DemoScreenshot() {
    }

    static void saveIfRequested(BrowserPage left, BrowserPage right) {
        String target = System.getProperty("demo.screenshot");
        if (target == null || target.isBlank()) {
            return;
        }
        try {
            BufferedImage a = capture(left);
            BufferedImage b = capture(right);
            BufferedImage canvas = new BufferedImage(a.getWidth() + GAP + b.getWidth(),
                    Math.max(a.getHeight(), b.getHeight()), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = canvas.createGraphics();
            g.setColor(new Color(0xd9dbe7));
            g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
            g.drawImage(a, 0, 0, null);
            g.drawImage(b, a.getWidth() + GAP, 0, null);
            g.dispose();
            Path path = Path.of(target);
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            ImageIO.write(canvas, "png", path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage capture(BrowserPage page) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(page.driver().getScreenshotAs(OutputType.BYTES)));
    }
}
