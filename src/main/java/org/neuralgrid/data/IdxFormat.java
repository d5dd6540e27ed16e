package org.neuralgrid.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes IDX files, the big-endian format of MNIST and Fashion-MNIST: an image file is the magic number
 * 0x00000803, count, rows, cols and then one byte per pixel; a label file is 0x00000801, count and one byte per label.
 * Files may be gzip-compressed; reading recognises that by its magic bytes, writing by a {@code .gz} name.
 */
public final class IdxFormat {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int BUFFER = 1 << 16;
    /** A header only announces sizes; memory grows from this as bytes actually arrive. */
    private static final int FIRST_CHUNK = 1 << 20;
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private IdxFormat() {
    }

    /** The content of an IDX image file. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    /** An image file and its label file as one data set; their counts must agree. */
    public static Dataset readPair(Path images, Path labels, String name) throws IOException {
        Images read = readImages(images);
        byte[] classes = readLabels(labels);
        if (read.count() != classes.length) {
            throw new DataFormatException(images + " holds " + read.count() + " images but " + labels + " holds "
                    + classes.length + " labels; they must be the same number");
        }
        return new Dataset(name, read.count(), read.rows(), read.cols(), read.pixels(), classes);
    }

    public static Images readImages(Path file) throws IOException {
        try (IdxInput in = IdxInput.open(file)) {
            in.expectMagic(IMAGES_MAGIC, "an IDX image file");
            int count = in.readSize("image count");
            int rows = in.readSize("row count");
            int cols = in.readSize("column count");
            if (rows == 0 || cols == 0) {
                throw new DataFormatException(file, "images of " + rows + "x" + cols + " pixels hold nothing");
            }
            byte[] pixels = in.readBody((long) count * rows * cols, count + " images of " + rows + "x" + cols);
            return new Images(count, rows, cols, pixels);
        }
    }

    /** Class indices, each checked to be 0..9. */
    public static byte[] readLabels(Path file) throws IOException {
        byte[] labels;
        try (IdxInput in = IdxInput.open(file)) {
            in.expectMagic(LABELS_MAGIC, "an IDX label file");
            int count = in.readSize("label count");
            labels = in.readBody(count, count + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xff;
            if (label >= Dataset.CLASSES) {
                throw new DataFormatException(file, "label " + label + " at index " + i + " is outside 0.."
                        + (Dataset.CLASSES - 1));
            }
        }
        return labels;
    }

    /** Writes the images of {@code data}; see {@link #writeAtomically} for how. */
    public static void writeImages(Path file, Dataset data) throws IOException {
        writeAtomically(file, out -> {
            out.writeInt(IMAGES_MAGIC);
            out.writeInt(data.count());
            out.writeInt(data.rows());
            out.writeInt(data.cols());
            out.write(data.pixels());
        });
    }

    /** Writes the labels of {@code data}; see {@link #writeAtomically} for how. */
    public static void writeLabels(Path file, Dataset data) throws IOException {
        writeAtomically(file, out -> {
            out.writeInt(LABELS_MAGIC);
            out.writeInt(data.count());
            out.write(data.labels());
        });
    }

    static boolean isGzipName(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    @FunctionalInterface
    private interface Content {
        void writeTo(DataOutputStream out) throws IOException;
    }

    /**
     * Writes to a temporary file beside {@code file} and renames it over {@code file}, so that a reader, a crash or a
     * second writer never sees half a file; gzip-compressed when the name ends in {@code .gz}.
     */
    private static void writeAtomically(Path file, Content content) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temp = newFileBeside(target);
        boolean moved = false;
        try {
            try (DataOutputStream out = new DataOutputStream(openForWriting(temp, isGzipName(target)))) {
                content.writeTo(out);
            }
            forceToDisk(temp);
            moveIntoPlace(temp, target);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * A new empty file with a unique hidden name beside {@code target}, on the same file system so that renaming it
     * over the target is atomic; unlike {@code Files.createTempFile}, with the usual permissions (umask), since the
     * file becomes the target.
     */
    static Path newFileBeside(Path target) throws IOException {
        while (true) {
            Path temp = target.resolveSibling("." + target.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                // practically never: take another name
            }
        }
    }

    private static OutputStream openForWriting(Path file, boolean gzip) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER);
        return gzip ? new FastGzipOutputStream(out) : out;
    }

    /** Twice as fast as the default level for 3 % more bytes on Fashion-MNIST's images. */
    private static final class FastGzipOutputStream extends GZIPOutputStream {
        FastGzipOutputStream(OutputStream out) throws IOException {
            super(out, BUFFER);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    /** Called before a rename: after a crash, the new name must not point at bytes that never reached the disk. */
    static void forceToDisk(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** An IDX file being read, raw or gzip, that turns every shortfall into a message naming the file. */
    private static final class IdxInput implements Closeable {
        private final Path file;
        private final InputStream in;
        /** Size on disk for raw files, -1 for gzip where only reading tells. */
        private final long rawSize;
        private long position;

        private IdxInput(Path file, InputStream in, long rawSize) {
            this.file = file;
            this.in = in;
            this.rawSize = rawSize;
        }

        static IdxInput open(Path file) throws IOException {
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
            try {
                raw.mark(2);
                boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
                raw.reset();
                if (!gzip) {
                    return new IdxInput(file, raw, Files.size(file));
                }
                return new IdxInput(file, new GZIPInputStream(raw, BUFFER), -1);
            } catch (ZipException | EOFException e) {
                raw.close();
                throw new DataFormatException(file, "starts like gzip but its gzip header is broken: " + e.getMessage(),
                        e);
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }

        void expectMagic(int expected, String kind) throws IOException {
            int actual = readInt("magic number");
            if (actual != expected) {
                throw new DataFormatException(file, String.format(Locale.ROOT,
                        "wrong magic number: expected 0x%08X (%s), found 0x%08X", expected, kind, actual));
            }
        }

        int readSize(String what) throws IOException {
            int size = readInt(what);
            if (size < 0) {
                throw new DataFormatException(file, "the header's " + what + " " + Integer.toUnsignedString(size)
                        + " is absurdly large");
            }
            return size;
        }

        private int readInt(String what) throws IOException {
            byte[] b = new byte[4];
            int n = readAtMost(b, 0, 4);
            position += n;
            if (n < 4) {
                throw new DataFormatException(file, "truncated: the file ends inside the header, before its " + what
                        + " (" + position + " bytes in all)");
            }
            return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        }

        /** The {@code length} bytes after the header, all of them and nothing after them. */
        byte[] readBody(long length, String what) throws IOException {
            if (length > MAX_ARRAY) {
                throw new DataFormatException(file, "the header announces " + what + ", " + length
                        + " bytes, more than this reader can hold");
            }
            if (rawSize >= 0) {
                checkRawSize(length, what);
            }
            byte[] body = new byte[(int) Math.min(length, FIRST_CHUNK)];
            int filled = 0;
            while (filled < length) {
                if (filled == body.length) {
                    body = Arrays.copyOf(body, (int) Math.min(length, 2L * body.length));
                }
                int n = readAtMost(body, filled, body.length - filled);
                if (n == 0) {
                    throw truncated(length, filled, what);
                }
                filled += n;
            }
            if (rawSize < 0 && readAtMost(new byte[1], 0, 1) > 0) {
                throw new DataFormatException(file, "holds more bytes than the " + what + " its header announces");
            }
            return body;
        }

        private void checkRawSize(long length, String what) throws DataFormatException {
            long present = rawSize - position;
            if (present < length) {
                throw truncated(length, present, what);
            }
            if (present > length) {
                throw new DataFormatException(file, "holds " + (present - length) + " bytes more than the " + what
                        + " its header announces");
            }
        }

        private DataFormatException truncated(long expected, long found, String what) {
            return new DataFormatException(file, "truncated: the header announces " + what + ", " + expected
                    + " bytes after the " + position + "-byte header, but only " + found + " are there"
                    + (rawSize < 0 ? " after decompression" : ""));
        }

        /** Reads until {@code length} bytes or the end; a gzip stream that breaks off counts as the end. */
        private int readAtMost(byte[] buffer, int offset, int length) throws IOException {
            int total = 0;
            try {
                while (total < length) {
                    int n = in.read(buffer, offset + total, length - total);
                    if (n < 0) {
                        break;
                    }
                    total += n;
                }
            } catch (EOFException e) {
                return total; // GZIPInputStream's way of saying the compressed data stops early
            } catch (ZipException e) {
                throw new DataFormatException(file, "damaged gzip data: " + e.getMessage(), e);
            }
            return total;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
