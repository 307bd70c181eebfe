package dev.rendezvous.signaling;

/** A payload backed by a plain array, as it arrives from another node. */
public record ByteArrayPayload(byte[] bytes) implements Payload {

    @Override
    public int length() {
        return bytes.length;
    }

    @Override
    public byte[] toByteArray() {
        return bytes.clone();
    }
}
