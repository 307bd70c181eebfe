package dev.rendezvous.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Secrets kept in files (a Kubernetes secret, a file only the service user may read). */
public final class SecretFile {

    private SecretFile() {
    }

    /** One secret per non-blank line, surrounding spaces stripped, in file order. */
    public static List<String> lines(Path file, String what) {
        List<String> lines = read(file, what).lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(what + " file " + file + " holds no secret");
        }
        return lines;
    }

    /** The whole file as one secret, without its trailing newline. */
    public static String single(Path file, String what) {
        String text = read(file, what);
        String secret = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (secret.isEmpty()) {
            throw new IllegalArgumentException(what + " file " + file + " is empty");
        }
        return secret;
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read " + what + " file " + file + ": " + e.getMessage());
        }
    }
}
