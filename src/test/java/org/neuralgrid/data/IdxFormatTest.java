package org.neuralgrid.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxFormatTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"", ".gz"})
    void roundTripsImagesAndLabelsRawAndGzip(String suffix) throws IOException {
        Dataset written = TestSets.predictable("small", 5, 4, 3, 1);
        Path images = dir.resolve("images" + suffix);
        Path labels = dir.resolve("labels" + suffix);
        IdxFormat.writeImages(images, written);
        IdxFormat.writeLabels(labels, written);

        Dataset read = IdxFormat.readPair(images, labels, "again");
        assertEquals("again", read.name());
        assertEquals(5, read.count());
        assertEquals(4, read.rows());
        assertEquals(3, read.cols());
        assertArrayEquals(written.pixels(), read.pixels());
        assertArrayEquals(written.labels(), read.labels());
    }

    @Test
    void writesGzipForGzNamesAndRawIdxOtherwise() throws IOException {
        Dataset data = TestSets.predictable("small", 2, 2, 2, 0);
        IdxFormat.writeImages(dir.resolve("a.gz"), data);
        IdxFormat.writeImages(dir.resolve("a"), data);
        byte[] gz = Files.readAllBytes(dir.resolve("a.gz"));
        byte[] raw = Files.readAllBytes(dir.resolve("a"));
        assertEquals(0x1f, gz[0] & 0xff);
        assertEquals(0x8b, gz[1] & 0xff);
        assertEquals(16 + 8, raw.length);
        assertEquals(IdxFormat.IMAGES_MAGIC, ByteBuffer.wrap(raw).getInt(0));
        assertEquals(2, ByteBuffer.wrap(raw).getInt(4));
    }

    @Test
    void recognisesGzipByItsContentNotItsName() throws IOException {
        Dataset data = TestSets.predictable("small", 3, 2, 2, 5);
        IdxFormat.writeLabels(dir.resolve("labels.gz"), data);
        Files.move(dir.resolve("labels.gz"), dir.resolve("labels-without-suffix"));
        assertArrayEquals(data.labels(), IdxFormat.readLabels(dir.resolve("labels-without-suffix")));
    }

    @Test
    void acceptsImageSizesOtherThan28x28() throws IOException {
        Dataset data = TestSets.predictable("odd", 2, 5, 7, 3);
        IdxFormat.writeImages(dir.resolve("odd"), data);
        IdxFormat.Images read = IdxFormat.readImages(dir.resolve("odd"));
        assertEquals(5, read.rows());
        assertEquals(7, read.cols());
        assertArrayEquals(data.pixels(), read.pixels());
    }

    @Test
    void rejectsWrongMagicNumberNamingTheFile() throws IOException {
        Path labels = dir.resolve("labels-not-images");
        IdxFormat.writeLabels(labels, TestSets.predictable("small", 2, 2, 2, 0));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFormat.readImages(labels));
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected 0x00000803"), e.getMessage());
        assertTrue(e.getMessage().contains("found 0x00000801"), e.getMessage());
    }

    @Test
    void rejectsTruncatedImages() throws IOException {
        Path images = dir.resolve("images");
        IdxFormat.writeImages(images, TestSets.predictable("small", 3, 4, 4, 0));
        byte[] whole = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(whole, whole.length - 5));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFormat.readImages(images));
        assertTrue(e.getMessage().startsWith(images + ": truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("48 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("only 43"), e.getMessage());
    }

    @Test
    void rejectsTruncatedGzipImages() throws IOException {
        Path full = dir.resolve("full.gz");
        IdxFormat.writeImages(full, TestSets.predictable("small", 50, 28, 28, 0));
        byte[] whole = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFormat.readImages(cut));
        assertTrue(e.getMessage().startsWith(cut + ": truncated"), e.getMessage());
        assertTrue(e.getMessage().contains(50 * 784 + " bytes"), e.getMessage());
    }

    @Test
    void rejectsAHeaderThatEndsEarly() throws IOException {
        Path images = dir.resolve("stub");
        Files.write(images, new byte[] {0, 0, 8, 3, 0, 0});
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFormat.readImages(images));
        assertTrue(e.getMessage().contains("ends inside the header"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".gz"})
    void rejectsAbsurdHeaderCountsWithoutBelievingThem(String suffix) throws IOException {
        Path images = dir.resolve("huge" + suffix);
        byte[] header = ByteBuffer.allocate(16 + 100).putInt(IdxFormat.IMAGES_MAGIC).putInt(2_000_000)
                .putInt(28).putInt(28).array();
        try (OutputStream out = suffix.isEmpty() ? Files.newOutputStream(images)
                : new GZIPOutputStream(Files.newOutputStream(images))) {
            out.write(header);
        }
        long before = usedMemory();
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFormat.readImages(images));
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("more than"), e.getMessage());
        assertTrue(e.getMessage().contains("2000000 images of 28x28"), e.getMessage());
        assertTrue(usedMemory() - before < 512L << 20, "read a fake header as if it were true");
    }

    @Test
    void rejectsBytesBeyondWhatTheHeaderAnnounces() throws IOException {
        Path labels = dir.resolve("labels");
        IdxFormat.writeLabels(labels, TestSets.predictable("small", 4, 1, 1, 0));
        Files.write(labels, new byte[] {1, 2}, java.nio.file.StandardOpenOption.APPEND);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFormat.readLabels(labels));
        assertTrue(e.getMessage().contains("2 bytes more"), e.getMessage());
    }

    @Test
    void rejectsLabelsOutsideZeroToNine() throws IOException {
        Path labels = dir.resolve("labels");
        Files.write(labels, ByteBuffer.allocate(11).putInt(IdxFormat.LABELS_MAGIC).putInt(3)
                .put((byte) 4).put((byte) 12).put((byte) 0).array());
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFormat.readLabels(labels));
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("label 12 at index 1"), e.getMessage());
    }

    @Test
    void rejectsCountMismatchBetweenImagesAndLabels() throws IOException {
        Path images = dir.resolve("images.gz");
        Path labels = dir.resolve("labels.gz");
        IdxFormat.writeImages(images, TestSets.predictable("small", 6, 2, 2, 0));
        IdxFormat.writeLabels(labels, TestSets.predictable("small", 5, 2, 2, 0));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxFormat.readPair(images, labels, "pair"));
        assertTrue(e.getMessage().contains("6 images"), e.getMessage());
        assertTrue(e.getMessage().contains("5 labels"), e.getMessage());
        assertTrue(e.getMessage().contains(images.toString()) && e.getMessage().contains(labels.toString()));
    }

    @Test
    void writesAtomicallyLeavingNoTemporaryFile() throws IOException {
        Path target = dir.resolve("images.gz");
        IdxFormat.writeImages(target, TestSets.predictable("first", 3, 2, 2, 0));
        Dataset second = TestSets.predictable("second", 4, 2, 2, 9);
        IdxFormat.writeImages(target, second);
        assertEquals(List.of("images.gz"), fileNames(dir));
        assertArrayEquals(second.pixels(), IdxFormat.readImages(target).pixels());
    }

    @Test
    void givesWrittenFilesTheUsualPermissionsNotThoseOfATemporaryFile() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path written = dir.resolve("labels.gz");
        IdxFormat.writeLabels(written, TestSets.predictable("small", 2, 1, 1, 0));
        Path plain = Files.createFile(dir.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
    }

    @Test
    void removesItsTemporaryFileWhenTheWriteFails() throws IOException {
        Path blocked = dir.resolve("images");
        Files.createDirectories(blocked.resolve("a folder is in the way"));
        assertThrows(IOException.class,
                () -> IdxFormat.writeImages(blocked, TestSets.predictable("small", 3, 2, 2, 0)));
        assertEquals(List.of("images"), fileNames(dir));
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static long usedMemory() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
