package org.neuralgrid.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a tar stream entry by entry: the ustar subset that npm writes (512-byte headers, name, octal size, prefix).
 * Long-name and pax extension entries are passed over like any other entry that is not a regular file.
 */
final class TarReader {
    private static final int BLOCK = 512;

    /** One entry's header; only regular files have content worth reading. */
    record Entry(String name, long size, boolean regularFile) {
    }

    private final InputStream in;
    private final String source;
    private long unread;
    private long padding;

    /** @param source what the stream is, for messages */
    TarReader(InputStream in, String source) {
        this.in = in;
        this.source = source;
    }

    /** The next entry, or null at the end of the archive; whatever of the previous entry was not read is skipped. */
    Entry next() throws IOException {
        skip(unread + padding);
        unread = 0;
        padding = 0;
        byte[] header = new byte[BLOCK];
        int n = in.readNBytes(header, 0, BLOCK);
        if (n == 0 || n == BLOCK && isZero(header)) {
            return null;
        }
        if (n < BLOCK) {
            throw new DataFormatException(source + ": truncated tar archive: it ends inside an entry header");
        }
        checkChecksum(header);
        String name = text(header, 0, 100);
        boolean ustar = text(header, 257, 6).startsWith("ustar");
        String prefix = ustar ? text(header, 345, 155) : "";
        long size = number(header, 124, 12, "size");
        byte type = header[156];
        unread = size;
        padding = (BLOCK - size % BLOCK) % BLOCK;
        return new Entry(prefix.isEmpty() ? name : prefix + "/" + name, size, type == '0' || type == 0 || type == '7');
    }

    /** The current entry's bytes; closing the stream leaves the archive open. */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (unread == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, unread));
                if (n < 0) {
                    throw new DataFormatException(source + ": truncated tar archive: it ends inside an entry");
                }
                unread -= n;
                return n;
            }
        };
    }

    private void skip(long bytes) throws IOException {
        try {
            in.skipNBytes(bytes);
        } catch (EOFException e) {
            throw new DataFormatException(source + ": truncated tar archive: it ends inside an entry", e);
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Tar's checksum, the byte sum with the checksum field counted as spaces, tells a header from garbage. */
    private void checkChecksum(byte[] header) throws DataFormatException {
        long expected = number(header, 148, 8, "checksum");
        long unsigned = 0;
        long signed = 0; // some old tar programs summed signed bytes
        for (int i = 0; i < BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : header[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (expected != unsigned && expected != signed) {
            throw new DataFormatException(source + ": not a tar archive, or a damaged one (header checksum "
                    + expected + " but the header sums to " + unsigned + ")");
        }
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** An octal field, or GNU's base-256 form for sizes beyond 8 GiB. */
    private long number(byte[] header, int offset, int length, String field) throws DataFormatException {
        if ((header[offset] & 0x80) != 0) {
            long value = header[offset] & 0x7f;
            for (int i = 1; i < length; i++) {
                value = value << 8 | header[offset + i] & 0xff;
            }
            return value;
        }
        long value = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        for (; i < end && header[i] != ' ' && header[i] != 0; i++) {
            int digit = header[i] - '0';
            if (digit < 0 || digit > 7) {
                throw new DataFormatException(source + ": not a tar archive, or a damaged one (the " + field
                        + " field of an entry header is not an octal number)");
            }
            value = value * 8 + digit;
        }
        return value;
    }
}
