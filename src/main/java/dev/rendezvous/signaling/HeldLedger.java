package dev.rendezvous.signaling;

import java.util.HashMap;
import java.util.Map;

/**
 * The bookkeeping under a {@link Mailbox}: the boxes by recipient, the entries by sender, the
 * node's expiry list and the bytes all of it costs. Not thread-safe: the mailbox's lock guards it.
 *
 * <p>The bytes counted are the bytes kept, so that {@code --mailbox-total-bytes} bounds the heap and
 * not only the messages: each entry is charged its length plus {@link #ENTRY_OVERHEAD}, each
 * recipient with held messages {@link #BOX_OVERHEAD} plus two bytes per character of its ID, each
 * sender with held messages {@link #SENDER_OVERHEAD}, and the two hash tables what their arrays
 * take at the largest size they reached (HashMap never shrinks its table, so a map that emptied
 * or shrank to a quarter of its peak is built again). The figures assume compressed object
 * references (heaps under 32 GiB, the JVM's default); {@code MailboxFloodTest} measures them.
 */
final class HeldLedger {

    /** {@link Held} (64 B) plus its byte array's header and padding (at most 23 B), rounded up. */
    static final int ENTRY_OVERHEAD = 96;
    /** The box (40 B), its map node (32 B), and the ID it keeps alive: PeerId, String, array header (63 B). */
    static final int BOX_OVERHEAD = 136;
    /** The sender's map node. */
    static final int SENDER_OVERHEAD = 32;

    private Map<PeerId, Held.Box> boxes = new HashMap<>();
    /** Each sender's newest entry; the others follow through {@code nextOfSender}. */
    private Map<PeerSession, Held> senders = new HashMap<>();
    private int boxesPeak;
    private int sendersPeak;
    private Held oldest;
    private Held newest;
    private long charged;
    private int messages;

    static int chargeOf(int length) {
        return length + ENTRY_OVERHEAD;
    }

    static int boxCharge(PeerId id) {
        return BOX_OVERHEAD + 2 * id.value().length();
    }

    Held.Box box(PeerId id) {
        return boxes.get(id);
    }

    Held oldest() {
        return oldest;
    }

    Held firstOf(PeerSession sender) {
        return senders.get(sender);
    }

    long charged() {
        return charged + tableBytes(boxesPeak) + tableBytes(sendersPeak);
    }

    int recipients() {
        return boxes.size();
    }

    int messages() {
        return messages;
    }

    /** Counts {@code bytes} (negative: gives them back) kept outside the boxes against the node's bound. */
    void reserve(long bytes) {
        charged += bytes;
    }

    /** Whether the node's bound admits {@code charge} more bytes, with a new box for {@code recipient} if it has none. */
    boolean fits(long total, PeerSession sender, PeerId recipient, long charge) {
        long more = charge;
        int boxPeak = boxesPeak;
        int senderPeak = sendersPeak;
        if (!boxes.containsKey(recipient)) {
            more += boxCharge(recipient);
            boxPeak = Math.max(boxPeak, boxes.size() + 1);
        }
        if (!senders.containsKey(sender)) {
            more += SENDER_OVERHEAD;
            senderPeak = Math.max(senderPeak, senders.size() + 1);
        }
        return charged + more + tableBytes(boxPeak) + tableBytes(senderPeak) <= total;
    }

    /** Whether the node's bound admits {@code bytes} more outside the boxes. */
    boolean fits(long total, long bytes) {
        return charged + bytes + tableBytes(boxesPeak) + tableBytes(sendersPeak) <= total;
    }

    /** Appends to its recipient's box (made if needed), its sender's entries and the expiry list. */
    void add(Held entry, PeerId recipient) {
        add(entry, recipient, null);
    }

    /** As {@link #add(Held, PeerId)}, but placed in the box just before {@code before} (null: last). */
    void add(Held entry, PeerId recipient, Held before) {
        Held.Box box = boxes.get(recipient);
        if (box == null) {
            box = new Held.Box(recipient, boxCharge(recipient));
            boxes.put(recipient, box);
            boxesPeak = Math.max(boxesPeak, boxes.size());
            charged += box.charge;
        }
        entry.box = box;
        Held after = before == null ? box.last : before.prevInBox;
        entry.prevInBox = after;
        entry.nextInBox = before;
        if (after == null) {
            box.first = entry;
        } else {
            after.nextInBox = entry;
        }
        if (before == null) {
            box.last = entry;
        } else {
            before.prevInBox = entry;
        }
        box.count++;
        box.bytes += entry.charge;
        Held first = senders.get(entry.sender);
        if (first == null) {
            senders.put(entry.sender, entry);
            sendersPeak = Math.max(sendersPeak, senders.size());
            charged += SENDER_OVERHEAD;
        } else {
            // At the head of the sender's entries, not the tail: O(1) with one map value, and the
            // order among a sender's own entries does not matter, only which ones are its.
            entry.nextOfSender = first;
            first.prevOfSender = entry;
            senders.put(entry.sender, entry);
        }
        entry.older = newest;
        if (newest == null) {
            oldest = entry;
        } else {
            newest.newer = entry;
        }
        newest = entry;
        charged += entry.charge;
        messages++;
    }

    /** Takes {@code entry} out of every list it is in and gives its bytes back. */
    void remove(Held entry) {
        unlinkFromBox(entry.box, entry);
        if (entry.prevOfSender == null) {
            if (entry.nextOfSender == null) {
                senders.remove(entry.sender);
                charged -= SENDER_OVERHEAD;
                sendersPeak = rebuildIfSparse(senders, sendersPeak, true);
            } else {
                senders.put(entry.sender, entry.nextOfSender);
            }
        } else {
            entry.prevOfSender.nextOfSender = entry.nextOfSender;
        }
        if (entry.nextOfSender != null) {
            entry.nextOfSender.prevOfSender = entry.prevOfSender;
        }
        if (entry.older == null) {
            oldest = entry.newer;
        } else {
            entry.older.newer = entry.newer;
        }
        if (entry.newer == null) {
            newest = entry.older;
        } else {
            entry.newer.older = entry.older;
        }
        entry.prevOfSender = entry.nextOfSender = entry.older = entry.newer = null;
        charged -= entry.charge;
        messages--;
    }

    private void unlinkFromBox(Held.Box box, Held entry) {
        // entry.box stays: a removed entry still names its recipient (an expiry notice needs it).
        if (entry.prevInBox == null) {
            box.first = entry.nextInBox;
        } else {
            entry.prevInBox.nextInBox = entry.nextInBox;
        }
        if (entry.nextInBox == null) {
            box.last = entry.prevInBox;
        } else {
            entry.nextInBox.prevInBox = entry.prevInBox;
        }
        entry.prevInBox = entry.nextInBox = null;
        box.count--;
        box.bytes -= entry.charge;
        if (box.count == 0) {
            boxes.remove(box.id);
            charged -= box.charge;
            boxesPeak = rebuildIfSparse(boxes, boxesPeak, false);
        }
    }

    /**
     * A map that emptied, or fell to a quarter of the largest size it had, is copied into a table
     * of its present size: the old table would otherwise stay as large as the peak, uncounted.
     * Returns the peak that the (new) table is sized for.
     */
    @SuppressWarnings("unchecked")
    private <K, V> int rebuildIfSparse(Map<K, V> map, int peak, boolean isSenders) {
        int size = map.size();
        if (size > 0 && (peak < 64 || size > peak / 4)) {
            return peak;
        }
        // Filled one by one, not with the copy constructor, so that it grows exactly as tableBytes says.
        Map<K, V> fresh = new HashMap<>();
        map.forEach(fresh::put);
        if (isSenders) {
            senders = (Map<PeerSession, Held>) fresh;
        } else {
            boxes = (Map<PeerId, Held.Box>) fresh;
        }
        return size;
    }

    /** The bytes of a HashMap's table after {@code peak} entries: the smallest power of two it keeps 75% full. */
    static long tableBytes(int peak) {
        if (peak == 0) {
            return 0;
        }
        int capacity = 16;
        while (capacity * 3L / 4 < peak) {
            capacity <<= 1;
        }
        return 16 + 4L * capacity;
    }
}
