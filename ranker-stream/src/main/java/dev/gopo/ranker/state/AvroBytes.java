package dev.gopo.ranker.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reading and writing the few pieces of the Avro binary encoding the ranker handles without Avro's
 * object model, so that token ids and log-probs travel from a completion's bytes to the store and on
 * to the emitted {@code AdvantageGroup} as byte ranges, never as {@code List<Integer>} / {@code List<Float>}.
 *
 * <p>Encoding (Avro 1.12 specification, "Binary Encoding"): {@code int} and {@code long} are zig-zag
 * varints; {@code float} / {@code double} 4 / 8 bytes little-endian; {@code string} a long length and
 * UTF-8 bytes; {@code array} a sequence of blocks, each a long item count followed by the items (a
 * negative count is followed by the block's byte size), ended by a count of 0; {@code union} a long
 * branch index and the branch's value.
 */
public final class AvroBytes {
    private AvroBytes() {
    }

    /** A cursor over an Avro-encoded byte range; every read checks bounds and throws {@link IllegalArgumentException} on malformed input. */
    public static final class Reader {
        private final byte[] buf;
        private final int end;
        private int pos;

        public Reader(byte[] buf, int offset, int end) {
            this.buf = buf;
            this.pos = offset;
            this.end = end;
        }

        public int pos() {
            return pos;
        }

        public boolean atEnd() {
            return pos == end;
        }

        public long readLong() {
            long value = 0;
            int shift = 0;
            while (true) {
                if (pos >= end) {
                    throw new IllegalArgumentException("truncated varint");
                }
                int b = buf[pos++] & 0xff;
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return (value >>> 1) ^ -(value & 1);
                }
                shift += 7;
                if (shift > 63) {
                    throw new IllegalArgumentException("varint longer than 10 bytes");
                }
            }
        }

        public int readInt() {
            long v = readLong();
            if (v != (int) v) {
                throw new IllegalArgumentException("int out of range: " + v);
            }
            return (int) v;
        }

        public double readDouble() {
            require(8);
            long bits = 0;
            for (int i = 7; i >= 0; i--) {
                bits = (bits << 8) | (buf[pos + i] & 0xff);
            }
            pos += 8;
            return Double.longBitsToDouble(bits);
        }

        public String readString() {
            int length = length();
            String s = new String(buf, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        /** An Avro {@code bytes} value: a view of its bytes in the buffer (not a copy). */
        public ByteBuffer readBytes() {
            int length = length();
            ByteBuffer view = ByteBuffer.wrap(buf, pos, length).slice();
            pos += length;
            return view;
        }

        public void skipString() {
            int length = length(); // not "pos += length()": that would read pos before length() moves it past the varint
            pos += length;
        }

        /** Skips an {@code array<int>}; returns its item count. */
        public int skipIntArray() {
            int count = 0;
            for (long block = readLong(); block != 0; block = readLong()) {
                if (block < 0) {
                    readLong(); // byte size of the block, not needed: the varints are skipped one by one
                    block = -block;
                }
                count = Math.addExact(count, Math.toIntExact(block));
                for (long i = 0; i < block; i++) {
                    readLong();
                }
            }
            return count;
        }

        /**
         * Skips an {@code array<float>}; returns its item count and reports the first non-finite item to
         * {@code nonFinite} (which may be null).
         */
        public int skipFloatArray(NonFinite nonFinite) {
            int count = 0;
            for (long block = readLong(); block != 0; block = readLong()) {
                if (block < 0) {
                    readLong();
                    block = -block;
                }
                int items = Math.toIntExact(block);
                require((long) items * 4);
                if (nonFinite != null && !nonFinite.found()) {
                    for (int i = 0; i < items; i++) {
                        int p = pos + 4 * i;
                        float f = Float.intBitsToFloat((buf[p] & 0xff) | (buf[p + 1] & 0xff) << 8 | (buf[p + 2] & 0xff) << 16 | (buf[p + 3] & 0xff) << 24);
                        if (!Float.isFinite(f)) {
                            nonFinite.set(count + i, f);
                            break;
                        }
                    }
                }
                pos += 4 * items;
                count = Math.addExact(count, items);
            }
            return count;
        }

        /** Reads a {@code ["null", "double"]} union. */
        public Double readNullableDouble() {
            long branch = readLong();
            if (branch == 0) {
                return null;
            }
            if (branch != 1) {
                throw new IllegalArgumentException("union branch " + branch + " of [null, double]");
            }
            return readDouble();
        }

        /** Skips a {@code ["null", "string"]} union. */
        public void skipNullableString() {
            long branch = readLong();
            if (branch == 1) {
                skipString();
            } else if (branch != 0) {
                throw new IllegalArgumentException("union branch " + branch + " of [null, string]");
            }
        }

        private int length() {
            long length = readLong();
            if (length < 0) {
                throw new IllegalArgumentException("negative length " + length);
            }
            require(length);
            return (int) length;
        }

        private void require(long bytes) {
            if (bytes > end - pos) {
                throw new IllegalArgumentException("truncated: " + bytes + " bytes needed at " + pos + ", " + (end - pos) + " left");
            }
        }
    }

    /** The first non-finite float of an array: its position and value. */
    public static final class NonFinite {
        private int index = -1;
        private float value;

        boolean found() {
            return index >= 0;
        }

        void set(int index, float value) {
            this.index = index;
            this.value = value;
        }

        public int index() {
            return index;
        }

        public float value() {
            return value;
        }
    }

    /**
     * A growable output buffer with the Avro primitive writers. Not thread-safe; reuse it with {@link #reset()}.
     *
     * <p>Not a {@link java.io.ByteArrayOutputStream}: its {@code write} methods are {@code synchronized}, and a varint is
     * written a byte at a time, so under the ranker's profile the monitor enter/exit per byte was ~9 % of the stream
     * thread's samples (JDK 17 has no biased locking).
     */
    public static final class Writer {
        private byte[] buf;
        private int count;

        public Writer(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("initial size must be at least 1, got " + size);
            }
            buf = new byte[size];
        }

        /** Forgets what was written; keeps the buffer. */
        public void reset() {
            count = 0;
        }

        /** Bytes written since the last {@link #reset()}. */
        public int size() {
            return count;
        }

        /** A copy of the bytes written since the last {@link #reset()}. */
        public byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }

        /** Appends the low 8 bits of {@code b}. */
        public void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        /** Appends {@code length} bytes of {@code bytes} from {@code offset}. */
        public void write(byte[] bytes, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            ensure(length);
            System.arraycopy(bytes, offset, buf, count, length);
            count += length;
        }

        /** Appends what {@code other} holds. */
        public Writer append(Writer other) {
            write(other.buf, 0, other.count);
            return this;
        }

        private void ensure(int more) {
            int needed = Math.addExact(count, more);
            if (needed > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(needed, buf.length < (1 << 29) ? buf.length << 1 : Integer.MAX_VALUE - 8));
            }
        }

        public Writer writeLong(long n) {
            long z = (n << 1) ^ (n >> 63);
            while ((z & ~0x7FL) != 0) {
                write((int) ((z & 0x7f) | 0x80));
                z >>>= 7;
            }
            write((int) z);
            return this;
        }

        public Writer writeDouble(double d) {
            long bits = Double.doubleToRawLongBits(d);
            for (int i = 0; i < 8; i++) {
                write((int) (bits >>> (8 * i)) & 0xff);
            }
            return this;
        }

        public Writer writeBoolean(boolean b) {
            write(b ? 1 : 0);
            return this;
        }

        public Writer writeString(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            writeLong(utf8.length);
            write(utf8, 0, utf8.length);
            return this;
        }

        public Writer writeNullableDouble(Double d) {
            if (d == null) {
                return writeLong(0);
            }
            return writeLong(1).writeDouble(d);
        }

        /** Appends {@code bytes[from, to)}. */
        public Writer writeRange(byte[] bytes, int from, int to) {
            write(bytes, from, to - from);
            return this;
        }
    }
}
