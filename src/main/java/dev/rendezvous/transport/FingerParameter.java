package dev.rendezvous.transport;

import dev.rendezvous.signaling.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@code finger} from a raw query string. Percent-decoding follows RFC 3986, not HTML forms:
 * '+' stays '+', and a malformed escape or invalid UTF-8 is an error rather than a replacement
 * character. Netty's QueryStringDecoder substitutes U+FFFD for bad UTF-8, which would let two
 * different requested IDs collapse into one, hence this small strict decoder.
 */
final class FingerParameter {

    static final String NAME = "finger";

    private FingerParameter() {
    }

    /** The outcome: an ID, or the one-line reason the request is refused. */
    record Result(PeerId id, String problem) {
        static Result ok(PeerId id) {
            return new Result(id, null);
        }

        static Result refused(String problem) {
            return new Result(null, problem);
        }
    }

    static Result parse(String rawQuery) {
        return parse(rawQuery, "missing finger parameter: connect to /websocket/?finger=<ID>");
    }

    /** @param missing what to say when there is no finger at all */
    static Result parse(String rawQuery, String missing) {
        String raw = null;
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&", -1)) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                if (NAME.equals(name)) {
                    if (raw != null) {
                        return Result.refused("more than one finger parameter");
                    }
                    raw = eq < 0 ? "" : pair.substring(eq + 1);
                }
            }
        }
        if (raw == null || raw.isEmpty()) {
            return Result.refused(missing);
        }
        String decoded = percentDecode(raw);
        if (decoded == null) {
            return Result.refused("finger is not valid percent-encoded UTF-8");
        }
        String problem = PeerId.problemWith(decoded);
        return problem == null ? Result.ok(new PeerId(decoded)) : Result.refused("invalid finger: " + problem);
    }

    /** The decoded text, or null when an escape is malformed or the bytes are not UTF-8. */
    static String percentDecode(String raw) {
        ByteBuffer bytes = ByteBuffer.allocate(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else if (c <= 0xFF) {
                // Netty maps request-line bytes to chars one to one, so raw UTF-8 arrives as 0x80-0xFF chars.
                bytes.put((byte) c);
            } else {
                return null;
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
