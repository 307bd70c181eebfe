package dev.rendezvous.signaling;

/**
 * A held message's own array, handed to the recipient's session for good: the mailbox lets go of
 * it once delivered, so the session may wrap it instead of copying it again.
 */
record HandedOverPayload(byte[] bytes) implements Payload {

    @Override
    public int length() {
        return bytes.length;
    }

    @Override
    public byte[] toByteArray() {
        return bytes;
    }
}
