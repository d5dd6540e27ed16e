package org.neuralgrid.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralgrid.model.Tensor;

class SafeTensorsTest {

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEveryBitOfEveryTensorAndTheMetadata() throws IOException {
        List<Tensor> written = List.of(
                new Tensor("scalar", new int[] {}, new float[] {3.5f}),
                new Tensor("special", new int[] {10}, new float[] {-0.0f, 0.0f, Float.MIN_VALUE,
                        Float.MIN_NORMAL / 2, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
                        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN}),
                new Tensor("matrix", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                new Tensor("cube.ä", new int[] {2, 2, 2}, new float[] {-1, -2, -3, -4, 5e-39f, 6, 7, 8}),
                new Tensor("empty", new int[] {0, 3}, new float[0]));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "neuralgrid-2d");
        metadata.put("config", "{\"h\":8,\"note\":\"quotes \\\" and ünïcode\"}");
        Path file = dir.resolve("model.safetensors");

        SafeTensors.write(file, written, metadata);
        SafeTensorsFile read = SafeTensors.read(file);

        assertEquals(metadata, read.metadata());
        assertEquals(written.size(), read.tensors().size());
        for (int i = 0; i < written.size(); i++) {
            assertBitExact(written.get(i), read.tensors().get(i));
        }
        assertBitExact(written.get(3), read.get("cube.ä"));
    }

    @Test
    void roundTripOfTensorsLargerThanOneChunkIsExact() throws IOException {
        Random random = new Random(42);
        List<Tensor> written = new ArrayList<>();
        for (int n : new int[] {600_001, 262_144, 7}) {
            float[] data = new float[n];
            for (int i = 0; i < n; i++) {
                data[i] = Float.intBitsToFloat(random.nextInt() & 0x7f7fffff);
            }
            written.add(new Tensor("t" + n, new int[] {n}, data));
        }
        Path file = dir.resolve("big.safetensors");

        SafeTensors.write(file, written, null);
        SafeTensorsFile read = SafeTensors.read(file);

        assertTrue(read.metadata().isEmpty());
        for (int i = 0; i < written.size(); i++) {
            assertBitExact(written.get(i), read.tensors().get(i));
        }
    }

    @Test
    void tinyFileHasExactlyTheStandardByteLayout() throws IOException {
        Path file = dir.resolve("tiny.safetensors");
        SafeTensors.write(file, List.of(new Tensor("w", new int[] {2}, new float[] {1.0f, -2.0f})),
                Map.of("format", "test"));

        // 87 bytes of JSON, padded with one space to 88 = 0x58.
        String json = "{\"__metadata__\":{\"format\":\"test\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[] {0x58, 0, 0, 0, 0, 0, 0, 0});
        expected.writeBytes((json + " ").getBytes(StandardCharsets.UTF_8));
        expected.writeBytes(new byte[] {0, 0, (byte) 0x80, 0x3f}); // 1.0f little endian
        expected.writeBytes(new byte[] {0, 0, 0, (byte) 0xc0});    // -2.0f little endian

        byte[] actual = Files.readAllBytes(file);
        assertArrayEquals(expected.toByteArray(), actual);
        long headerLength = ByteBuffer.wrap(actual, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8);
        String headerText = new String(actual, 8, (int) headerLength, StandardCharsets.UTF_8);
        JsonNode header = new ObjectMapper().readTree(headerText);
        assertEquals("F32", header.get("w").get("dtype").asText());
        ByteBuffer data = ByteBuffer.wrap(actual, 8 + (int) headerLength, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1.0f, data.getFloat());
        assertEquals(-2.0f, data.getFloat());
    }

    @Test
    void headerIsPaddedToAMultipleOfEightForAnyNameLength() throws IOException {
        for (int length = 1; length <= 9; length++) {
            Path file = dir.resolve("pad" + length + ".safetensors");
            SafeTensors.write(file, List.of(new Tensor("x".repeat(length), new int[] {1}, new float[] {1})), null);
            byte[] bytes = Files.readAllBytes(file);
            long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, headerLength % 8, "name length " + length);
            assertEquals(8 + headerLength + 4, bytes.length);
        }
    }

    @Test
    void readHeaderListsEntriesInDataOrderWithoutReadingData() throws IOException {
        Path file = dir.resolve("h.safetensors");
        // Entries deliberately out of data order in the JSON.
        writeRaw(file, "{\"b\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[4,20]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", 20);

        Map<String, TensorInfo> header = SafeTensors.readHeader(file);

        assertEquals(List.of("a", "b"), new ArrayList<>(header.keySet()));
        TensorInfo b = header.get("b");
        assertEquals("F32", b.dtype());
        assertArrayEquals(new int[] {2, 2}, b.shape());
        assertEquals(4, b.begin());
        assertEquals(20, b.end());
        assertEquals(List.of("a", "b"), SafeTensors.read(file).tensors().stream().map(Tensor::name).toList());
    }

    @Test
    void getOfAMissingTensorNamesItAndTheTensorsThatExist() throws IOException {
        Path file = dir.resolve("one.safetensors");
        SafeTensors.write(file, List.of(new Tensor("present", new int[] {1}, new float[] {1})), null);

        NoSuchElementException e = assertThrows(NoSuchElementException.class,
                () -> SafeTensors.read(file).get("absent"));

        assertTrue(e.getMessage().contains("absent") && e.getMessage().contains("present"), e.getMessage());
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("weights.safetensors");
        SafeTensors.write(file, List.of(new Tensor("old", new int[] {3}, new float[] {1, 2, 3})), null);

        SafeTensors.write(file, List.of(new Tensor("new", new int[] {1}, new float[] {9})), Map.of("v", "2"));

        SafeTensorsFile read = SafeTensors.read(file);
        assertEquals(List.of("new"), read.tensors().stream().map(Tensor::name).toList());
        assertEquals(Map.of("v", "2"), read.metadata());
        assertEquals(List.of(file), listing());
    }

    @Test
    void failedWriteDeletesItsTemporaryFile() throws IOException {
        // A non-empty directory cannot be renamed over, so the write fails after the data is written.
        Path target = dir.resolve("occupied");
        Files.createDirectories(target.resolve("child"));

        assertThrows(IOException.class, () -> SafeTensors.write(target,
                List.of(new Tensor("x", new int[] {1}, new float[] {1})), null));

        assertEquals(List.of(target), listing());
    }

    @Test
    void writeRejectsDuplicateAndReservedNamesBeforeTouchingTheDisk() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Tensor x = new Tensor("x", new int[] {1}, new float[] {1});

        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, List.of(x, x), null));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file,
                List.of(new Tensor("__metadata__", new int[] {1}, new float[] {1})), null));

        assertEquals(List.of(), listing());
    }

    static Stream<Arguments> corruptFiles() {
        String f32 = "{\"dtype\":\"F32\",";
        return Stream.of(
                Arguments.of("empty file", new byte[0], "shorter than the 8-byte"),
                Arguments.of("shorter than 8 bytes", new byte[5], "shorter than the 8-byte"),
                Arguments.of("header length past the end", withLength(1000, new byte[10]), "larger than"),
                Arguments.of("absurd header length", withLength(200L << 20, new byte[10]), "absurd"),
                Arguments.of("header length above 2^63", withLength(-1L, new byte[10]), "absurd"),
                Arguments.of("header not JSON", file("{\"a\": nope", 0), "not valid JSON"),
                Arguments.of("header a JSON array", file("[1, 2]", 0), "not a JSON object"),
                Arguments.of("header empty", file("        ", 0), "not a JSON object"),
                Arguments.of("trailing JSON", file("{} {}", 0), "not valid JSON"),
                Arguments.of("duplicate tensor", file("{\"a\":" + f32 + "\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"a\":" + f32 + "\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "not valid JSON"),
                Arguments.of("entry not an object", file("{\"a\":5}", 0), "\"a\" is not an object"),
                Arguments.of("missing dtype", file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
                        "missing \"dtype\""),
                Arguments.of("missing shape", file("{\"a\":" + f32 + "\"data_offsets\":[0,4]}}", 4),
                        "missing \"shape\""),
                Arguments.of("missing data_offsets", file("{\"a\":" + f32 + "\"shape\":[1]}}", 4),
                        "missing \"data_offsets\""),
                Arguments.of("dtype F16", file("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4),
                        "dtype F16; only F32 is supported"),
                Arguments.of("offsets not shape * 4", file("{\"a\":" + f32 + "\"shape\":[3],\"data_offsets\":[0,8]}}",
                        8), "needs 12 bytes"),
                Arguments.of("overlapping tensors", file("{\"a\":" + f32 + "\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":" + f32 + "\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlaps"),
                Arguments.of("gap between tensors", file("{\"a\":" + f32 + "\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"b\":" + f32 + "\"shape\":[1],\"data_offsets\":[8,12]}}", 12), "gap"),
                Arguments.of("data past the end", file("{\"a\":" + f32 + "\"shape\":[4],\"data_offsets\":[0,16]}}",
                        8), "runs past the end of the file"),
                Arguments.of("huge tensor in a tiny file", file("{\"a\":" + f32
                        + "\"shape\":[262144,1048576],\"data_offsets\":[0,1099511627776]}}", 8),
                        "runs past the end of the file"),
                Arguments.of("bytes after the last tensor",
                        file("{\"a\":" + f32 + "\"shape\":[1],\"data_offsets\":[0,4]}}", 8), "trailing bytes"),
                Arguments.of("negative dimension", file("{\"a\":" + f32 + "\"shape\":[-2],\"data_offsets\":[0,8]}}",
                        8), "negative dimension"),
                Arguments.of("shape overflowing a long", file("{\"a\":" + f32
                        + "\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", 8), "2^63"),
                Arguments.of("offsets backwards", file("{\"a\":" + f32 + "\"shape\":[0],\"data_offsets\":[8,0]}}", 8),
                        "end before they begin"),
                Arguments.of("offsets not a pair", file("{\"a\":" + f32 + "\"shape\":[1],\"data_offsets\":[4]}}", 4),
                        "not a pair"),
                Arguments.of("metadata value not a string", file("{\"__metadata__\":{\"epoch\":3}}", 0),
                        "not a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptFiles")
    void corruptFileRaisesOneFormatExceptionNamingTheFileAndTheProblem(String label, byte[] bytes, String problem)
            throws IOException {
        Path file = dir.resolve("corrupt.safetensors");
        Files.write(file, bytes);

        for (var e : List.of(assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(file)),
                assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.readHeader(file)))) {
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains(problem), e.getMessage());
        }
    }

    private static byte[] file(String json, int dataBytes) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(header.length + dataBytes).put(header);
        return withLength(header.length, body.array());
    }

    private static byte[] withLength(long headerLength, byte[] rest) {
        return ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(headerLength).put(rest).array();
    }

    private static void writeRaw(Path file, String json, int dataBytes) throws IOException {
        Files.write(file, file(json, dataBytes));
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static void assertBitExact(Tensor expected, Tensor actual) {
        assertEquals(expected.name(), actual.name());
        assertArrayEquals(expected.shape(), actual.shape(), expected.name());
        int[] want = new int[expected.size()];
        int[] got = new int[actual.size()];
        for (int i = 0; i < want.length; i++) {
            want[i] = Float.floatToRawIntBits(expected.data()[i]);
        }
        for (int i = 0; i < got.length; i++) {
            got[i] = Float.floatToRawIntBits(actual.data()[i]);
        }
        assertArrayEquals(want, got, expected.name());
    }
}
