package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The ASCII shortcut must accept and refuse exactly what a strict UTF-8 decoder does, whole or in
 * fragments, for text that is all ASCII, mostly ASCII with one odd byte anywhere (before, inside and
 * after each eight-byte word), valid multi-byte text, and random bytes.
 */
class AsciiFastUtf8ValidatorTest {

    private static final int MESSAGES = 20_000;

    private static final byte[][] ODD = {
        {(byte) 0xc3, (byte) 0xa9}, {(byte) 0xe2, (byte) 0x82, (byte) 0xac}, {(byte) 0xf0, (byte) 0x9f, (byte) 0x98,
            (byte) 0x80}, {(byte) 0xff}, {(byte) 0x80}, {(byte) 0xc3}, {(byte) 0xe2, (byte) 0x82},
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80,
            (byte) 0x80}, {(byte) 0x7f},
    };

    @Test
    void acceptsExactlyWhatAStrictDecoderAcceptsWholeOrInFragments() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        int accepted = 0;
        for (int i = 0; i < MESSAGES; i++) {
            byte[] message = message(random);
            boolean valid = strictlyUtf8(message);
            boolean direct = random.nextBoolean();
            assertThat(passes(List.of(new TextWebSocketFrame(buffer(message, direct)))))
                    .as("message %d (seed %d): %s", i, seed, Arrays.toString(message)).isEqualTo(valid);
            assertThat(passes(fragments(message, random, direct)))
                    .as("message %d in fragments (seed %d): %s", i, seed, Arrays.toString(message)).isEqualTo(valid);
            accepted += valid ? 1 : 0;
        }
        assertThat(accepted).as("both kinds were tried").isBetween(MESSAGES / 10, MESSAGES * 9 / 10);
    }

    @Test
    void findsAHighByteAtEveryPositionOfShortAndWordLongMessages() {
        for (int length = 1; length <= 24; length++) {
            for (int at = 0; at < length; at++) {
                byte[] bytes = new byte[length];
                Arrays.fill(bytes, (byte) 'a');
                bytes[at] = (byte) 0x80;
                assertThat(AsciiFastUtf8Validator.isAscii(Unpooled.wrappedBuffer(bytes)))
                        .as("length %d, high byte at %d", length, at).isFalse();
                bytes[at] = (byte) 0x7f;
                assertThat(AsciiFastUtf8Validator.isAscii(Unpooled.wrappedBuffer(bytes))).isTrue();
            }
        }
        ByteBuf offset = Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'});
        offset.readerIndex(1);
        assertThat(AsciiFastUtf8Validator.isAscii(offset)).as("only the readable bytes count").isTrue();
    }

    @Test
    void passesTheSameFrameOnAndLetsControlFramesThroughBetweenFragments() {
        EmbeddedChannel channel = new EmbeddedChannel(new AsciiFastUtf8Validator());
        TextWebSocketFrame whole = new TextWebSocketFrame("{\"to\":\"bob\"}");
        channel.writeInbound(whole);
        assertThat((Object) channel.readInbound()).isSameAs(whole);
        whole.release();
        channel.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {'{', (byte) 0xe2})));
        channel.writeInbound(new PingWebSocketFrame());
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0,
                Unpooled.wrappedBuffer(new byte[] {(byte) 0x82, (byte) 0xac, '}'})));
        assertThat(channel.inboundMessages()).hasSize(3);
        assertThat(channel.finishAndReleaseAll()).isTrue();
    }

    /** Whether every frame got through the validator; the channel is left clean either way. */
    private static boolean passes(List<WebSocketFrame> frames) {
        EmbeddedChannel channel = new EmbeddedChannel(new AsciiFastUtf8Validator());
        try {
            for (WebSocketFrame frame : frames) {
                channel.writeInbound(frame);
            }
            return channel.inboundMessages().size() == frames.size();
        } catch (CorruptedWebSocketFrameException e) {
            assertThat(e).hasMessage("bytes are not UTF-8");
            return false;
        } finally {
            channel.finishAndReleaseAll();
            for (WebSocketFrame frame : frames) {
                if (frame.refCnt() > 0) {
                    frame.release(frame.refCnt());
                }
            }
        }
    }

    private static List<WebSocketFrame> fragments(byte[] message, SplittableRandom random, boolean direct) {
        List<WebSocketFrame> frames = new ArrayList<>();
        int cut = message.length == 0 ? 0 : random.nextInt(message.length + 1);
        frames.add(new TextWebSocketFrame(false, 0, buffer(Arrays.copyOfRange(message, 0, cut), direct)));
        frames.add(new ContinuationWebSocketFrame(true, 0,
                buffer(Arrays.copyOfRange(message, cut, message.length), direct)));
        return frames;
    }

    private static ByteBuf buffer(byte[] bytes, boolean direct) {
        ByteBuf buf = direct ? PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length) : Unpooled.buffer();
        return buf.writeBytes(bytes);
    }

    private static byte[] message(SplittableRandom random) {
        int length = random.nextInt(80);
        byte[] bytes = new byte[length];
        switch (random.nextInt(4)) {
            case 0 -> fillAscii(bytes, random);
            case 1 -> {
                fillAscii(bytes, random);
                byte[] odd = ODD[random.nextInt(ODD.length)];
                int at = random.nextInt(length + 1);
                byte[] out = new byte[length + odd.length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(odd, 0, out, at, odd.length);
                System.arraycopy(bytes, at, out, at + odd.length, length - at);
                return out;
            }
            case 2 -> {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < length / 2; i++) {
                    text.appendCodePoint(random.nextBoolean() ? 'a' + random.nextInt(26) : 0x80 + random.nextInt(0xffff));
                }
                return text.toString().getBytes(StandardCharsets.UTF_8);
            }
            default -> random.nextBytes(bytes);
        }
        return bytes;
    }

    private static void fillAscii(byte[] bytes, SplittableRandom random) {
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(0x80);
        }
    }

    private static boolean strictlyUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void aBrokenFrameIsRefusedAndReleased() {
        EmbeddedChannel channel = new EmbeddedChannel(new AsciiFastUtf8Validator());
        TextWebSocketFrame broken = new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xc3}));
        assertThatThrownBy(() -> channel.writeInbound(broken)).isInstanceOf(CorruptedWebSocketFrameException.class);
        assertThat(broken.refCnt()).isZero();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
