package org.neuralgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.cli.Main;
import picocli.CommandLine;

/**
 * The published result with the defaults: a 64x64 sine grid trained by {@code neuralgrid train} with no option
 * but the epochs on real Fashion-MNIST (fetched into the project's data folder when missing, as the dashboard does)
 * is at 84 % or more after 11 epochs, as the 2021 code was (with the old gain of √2 it was at 59 %). And the test
 * accuracy the application reports for its final and best weights is what an independent double-precision forward
 * pass makes of the exported safetensors and the IDX test files, read here byte by byte with nothing of the
 * application's code.
 */
class PublishedRecipeTest {
    static final Path FASHION_MNIST = Path.of(System.getProperty("neuralgrid.fashionMnist", "data/fashion-mnist"));

    @TempDir
    static Path run;
    private static List<String> metrics;

    @BeforeAll
    static void trainElevenEpochsWithTheDefaults() throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new Main());
        int code;
        try {
            // the epoch lines and the progress bar are for people: keep them out of the test log
            PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
            System.setOut(both);
            System.setErr(both);
            cli.setErr(new PrintWriter(both, true));
            code = cli.execute("train", "--epochs", "11", "--data-dir", FASHION_MNIST.toString(),
                    "--out", run.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals(0, code, captured.toString(StandardCharsets.UTF_8));
        metrics = Files.readAllLines(run.resolve("metrics.csv"));
    }

    @Test
    void theDefaultsReach84PercentOnTheTestSetAfter11Epochs() {
        String[] last = metrics.get(11).split(",");
        assertEquals("11", last[0]);
        double accuracy = Double.parseDouble(last[6]);
        assertTrue(accuracy >= 0.84, "test accuracy after 11 epochs: " + accuracy);
    }

    @Test
    void anIndependentForwardPassReproducesTheReportedAccuracyOfTheFinalAndTheBestWeights() throws IOException {
        Images test = Images.read(FASHION_MNIST.resolve("t10k-images-idx3-ubyte.gz"),
                FASHION_MNIST.resolve("t10k-labels-idx1-ubyte.gz"));
        JsonNode config = new ObjectMapper().readTree(run.resolve("config.json").toFile());
        assertEquals("fashion-mnist", config.get("normalization").asText());
        for (String file : List.of("weights.safetensors", "best.safetensors")) {
            Weights w = Weights.read(run.resolve(file));
            String[] row = metrics.get(w.epoch).split(",");
            double reported = Double.parseDouble(row[6]);
            double independent = w.accuracy(test, config.get("kernel").asInt());
            // float and double may round a handful of the 10,000 borderline images differently
            assertEquals(reported, independent, 5e-4, file + " of epoch " + w.epoch);
        }
    }

    /** IDX files as the format describes them: a big-endian header, then one unsigned byte per pixel or label. */
    record Images(int count, byte[] pixels, byte[] labels) {
        static Images read(Path images, Path labels) throws IOException {
            try (DataInputStream pi = gz(images); DataInputStream li = gz(labels)) {
                assertEquals(0x803, pi.readInt());
                int count = pi.readInt();
                assertEquals(28, pi.readInt());
                assertEquals(28, pi.readInt());
                assertEquals(0x801, li.readInt());
                assertEquals(count, li.readInt());
                return new Images(count, pi.readNBytes(count * 784), li.readNBytes(count));
            }
        }

        private static DataInputStream gz(Path file) throws IOException {
            InputStream in = new GZIPInputStream(Files.newInputStream(file));
            return new DataInputStream(in);
        }
    }

    /** A 2D grid's tensors, read from the safetensors layout: an 8-byte header length, a JSON header, F32 data. */
    record Weights(int epoch, double[] wIn, double[] bIn, double[] gw, double[] gb, double[] wOut, double[] bOut,
                   int h, int w) {
        static Weights read(Path file) throws IOException {
            byte[] bytes = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
            int start = 8 + (int) n;
            JsonNode grid = header.get("grid.weight").get("shape");
            return new Weights(header.get("__metadata__").get("epoch").asInt(),
                    tensor(bytes, start, header, "linear_in.weight"), tensor(bytes, start, header, "linear_in.bias"),
                    tensor(bytes, start, header, "grid.weight"), tensor(bytes, start, header, "grid.bias"),
                    tensor(bytes, start, header, "linear_out.weight"), tensor(bytes, start, header, "linear_out.bias"),
                    grid.get(1).asInt(), grid.get(0).asInt());
        }

        private static double[] tensor(byte[] bytes, int start, JsonNode header, String name) {
            JsonNode t = header.get(name);
            assertEquals("F32", t.get("dtype").asText(), name);
            int from = start + t.get("data_offsets").get(0).asInt();
            int to = start + t.get("data_offsets").get(1).asInt();
            ByteBuffer b = ByteBuffer.wrap(bytes, from, to - from).order(ByteOrder.LITTLE_ENDIAN);
            double[] out = new double[(to - from) / 4];
            for (int i = 0; i < out.length; i++) {
                out[i] = b.getFloat();
            }
            return out;
        }

        /**
         * The write-up's model in double precision: a0 = W_in x + b_in; a_l[p] = sin(sum over the window of
         * w_l[q] a_{l-1}[q] + b_l[p]); logits = W_out a_W + b_out. Pixels as the default normalisation makes them.
         */
        double accuracy(Images test, int kernel) {
            int r = (kernel - 1) / 2;
            int correct = 0;
            double[] x = new double[784];
            for (int s = 0; s < test.count(); s++) {
                for (int m = 0; m < 784; m++) {
                    x[m] = ((test.pixels()[s * 784 + m] & 0xff) / 255.0 - 0.2860) / 0.3530;
                }
                double[] a = new double[h];
                for (int p = 0; p < h; p++) {
                    double z = bIn[p];
                    for (int m = 0; m < 784; m++) {
                        z += wIn[p * 784 + m] * x[m];
                    }
                    a[p] = z;
                }
                for (int l = 0; l < w; l++) {
                    double[] next = new double[h];
                    for (int p = 0; p < h; p++) {
                        double z = gb[l * h + p];
                        for (int q = Math.max(0, p - r); q <= Math.min(h - 1, p + r); q++) {
                            z += gw[l * h + q] * a[q];
                        }
                        next[p] = Math.sin(z);
                    }
                    a = next;
                }
                int best = 0;
                double bestLogit = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < 10; c++) {
                    double z = bOut[c];
                    for (int p = 0; p < h; p++) {
                        z += wOut[c * h + p] * a[p];
                    }
                    if (z > bestLogit) {
                        bestLogit = z;
                        best = c;
                    }
                }
                correct += best == test.labels()[s] ? 1 : 0;
            }
            return (double) correct / test.count();
        }
    }
}
