package org.neuralgrid.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.neuralgrid.model.Tensor;

/**
 * The length-prefixed JSON header of a safetensors file: encoding it for our tensors, and reading and checking
 * an untrusted one against the size of its file.
 *
 * @param metadata the {@code __metadata__} strings, empty when there are none
 * @param tensors the tensor entries in the order of their data
 * @param dataStart the file position of the data buffer that the offsets count from
 */
record SafeTensorsHeader(Map<String, String> metadata, Map<String, TensorInfo> tensors, long dataStart) {
    static final int LENGTH_PREFIX_BYTES = Long.BYTES;
    private static final String METADATA_KEY = "__metadata__";
    // Far above any real header, low enough that a corrupt length cannot make us allocate gigabytes.
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    // The reference implementation pads so that the data buffer starts 8-byte aligned.
    private static final int ALIGNMENT = 8;

    // Duplicate keys and trailing garbage would make the file mean different things to different readers.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The header JSON for {@code tensors} stored contiguously in list order, padded with spaces. */
    static byte[] encode(List<Tensor> tensors, Map<String, String> metadata) throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            root.set(METADATA_KEY, metadataNode(metadata));
        }
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (Tensor t : tensors) {
            requireWritableName(t.name(), names);
            long end = offset + (long) Float.BYTES * t.data().length;
            ObjectNode entry = root.putObject(t.name());
            entry.put("dtype", TensorEntry.F32);
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        return padded(JSON.writeValueAsBytes(root));
    }

    private static ObjectNode metadataNode(Map<String, String> metadata) {
        ObjectNode node = JSON.createObjectNode();
        metadata.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new IllegalArgumentException("metadata may not hold null keys or values: " + metadata);
            }
            node.put(key, value);
        });
        return node;
    }

    private static void requireWritableName(String name, Set<String> seen) {
        if (name == null || name.equals(METADATA_KEY)) {
            throw new IllegalArgumentException("a tensor may not be named " + name);
        }
        if (!seen.add(name)) {
            throw new IllegalArgumentException("duplicate tensor name " + name);
        }
    }

    private static byte[] padded(byte[] json) {
        int length = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] out = Arrays.copyOf(json, length);
        Arrays.fill(out, json.length, length, (byte) ' ');
        return out;
    }

    static ByteBuffer lengthPrefix(int headerLength) {
        ByteBuffer prefix = ByteBuffer.allocate(LENGTH_PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        return prefix.putLong(0, headerLength);
    }

    /** Reads and checks the header; every size in it is checked against the file before anything is allocated. */
    static SafeTensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < LENGTH_PREFIX_BYTES) {
            throw new SafeTensorsFormatException(file, "file is " + fileSize + " bytes long, shorter than the "
                    + LENGTH_PREFIX_BYTES + "-byte header length");
        }
        ByteBuffer prefix = ByteBuffer.allocate(LENGTH_PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, prefix, 0);
        long length = prefix.getLong(0);
        requirePlausibleLength(file, length, fileSize);
        ByteBuffer json = ByteBuffer.allocate((int) length);
        readFully(file, channel, json, LENGTH_PREFIX_BYTES);
        long dataStart = LENGTH_PREFIX_BYTES + length;
        return parse(file, json.array(), dataStart, fileSize - dataStart);
    }

    private static void requirePlausibleLength(Path file, long length, long fileSize)
            throws SafeTensorsFormatException {
        // The length is unsigned on disk: a "negative" long is a length above 2^63.
        if (Long.compareUnsigned(length, MAX_HEADER_BYTES) > 0) {
            throw new SafeTensorsFormatException(file, "header length " + Long.toUnsignedString(length)
                    + " bytes is absurd (more than " + MAX_HEADER_BYTES + " bytes); the file is not safetensors"
                    + " or is corrupt");
        }
        if (length > fileSize - LENGTH_PREFIX_BYTES) {
            throw new SafeTensorsFormatException(file, "header length " + length + " bytes is larger than the "
                    + (fileSize - LENGTH_PREFIX_BYTES) + " bytes that follow it in the file (truncated?)");
        }
    }

    static void readFully(Path file, FileChannel channel, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new SafeTensorsFormatException(file, "file ended at byte " + at + " while reading it");
            }
            at += n;
        }
    }

    private static SafeTensorsHeader parse(Path file, byte[] json, long dataStart, long dataBytes)
            throws SafeTensorsFormatException {
        JsonNode root = parseJson(file, json);
        Map<String, String> metadata = Map.of();
        List<Map.Entry<String, TensorInfo>> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, field.getValue());
            } else {
                String name = field.getKey();
                entries.add(Map.entry(name, TensorEntry.parse(file, name, field.getValue(), dataBytes)));
            }
        }
        return new SafeTensorsHeader(metadata, inDataOrder(file, entries, dataBytes), dataStart);
    }

    private static JsonNode parseJson(Path file, byte[] json) throws SafeTensorsFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new SafeTensorsFormatException(file, "header is not valid JSON: " + why, e);
        }
        if (root == null || !root.isObject()) {
            String found = root == null || root.isMissingNode() ? "empty"
                    : root.getNodeType().toString().toLowerCase(Locale.ROOT);
            throw new SafeTensorsFormatException(file, "header is not a JSON object but " + found);
        }
        return root;
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) throws SafeTensorsFormatException {
        // The reference implementation writes no metadata as an absent key, but null means the same.
        if (node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new SafeTensorsFormatException(file, METADATA_KEY + " is not an object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw new SafeTensorsFormatException(file, METADATA_KEY + " value of \"" + field.getKey()
                        + "\" is not a string");
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    /**
     * Orders the entries by offset and checks that they tile the data buffer exactly, as the reference reader
     * requires: no overlaps, no gaps and nothing after the last tensor. Each entry already ends inside the file.
     */
    private static Map<String, TensorInfo> inDataOrder(Path file, List<Map.Entry<String, TensorInfo>> entries,
            long dataBytes) throws SafeTensorsFormatException {
        entries.sort(Comparator.comparingLong((Map.Entry<String, TensorInfo> e) -> e.getValue().begin())
                .thenComparingLong(e -> e.getValue().end()));
        Map<String, TensorInfo> ordered = new LinkedHashMap<>();
        long expectedBegin = 0;
        for (Map.Entry<String, TensorInfo> e : entries) {
            requireAdjacent(file, e.getKey(), e.getValue(), expectedBegin);
            ordered.put(e.getKey(), e.getValue());
            expectedBegin = e.getValue().end();
        }
        if (expectedBegin != dataBytes) {
            throw new SafeTensorsFormatException(file, "the tensors cover " + expectedBegin + " data bytes but "
                    + dataBytes + " bytes follow the header (trailing bytes)");
        }
        return Collections.unmodifiableMap(ordered);
    }

    private static void requireAdjacent(Path file, String name, TensorInfo info, long expectedBegin)
            throws SafeTensorsFormatException {
        String where = "tensor \"" + name + "\" with data_offsets [" + info.begin() + ", " + info.end() + "]";
        if (info.begin() < expectedBegin) {
            throw new SafeTensorsFormatException(file, where + " overlaps the tensor before it, which ends at "
                    + expectedBegin);
        }
        if (info.begin() > expectedBegin) {
            throw new SafeTensorsFormatException(file, where + " leaves a gap after the tensor before it, which ends"
                    + " at " + expectedBegin);
        }
    }
}
