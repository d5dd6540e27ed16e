package org.neuralgrid.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;

/** One tensor's entry in an untrusted safetensors header, checked field by field. */
final class TensorEntry {
    /** The one dtype these files hold. */
    static final String F32 = "F32";

    // A Java array holds a little less than Integer.MAX_VALUE elements on common VMs.
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final Path file;
    private final String name;
    private final long dataBytes;

    private TensorEntry(Path file, String name, long dataBytes) {
        this.file = file;
        this.name = name;
        this.dataBytes = dataBytes;
    }

    /** Checks one entry of a header followed by {@code dataBytes} bytes of data. */
    static TensorInfo parse(Path file, String name, JsonNode node, long dataBytes)
            throws SafeTensorsFormatException {
        return new TensorEntry(file, name, dataBytes).parse(node);
    }

    private TensorInfo parse(JsonNode node) throws SafeTensorsFormatException {
        if (!node.isObject()) {
            throw problem("is not an object");
        }
        JsonNode dtype = required(node, "dtype");
        JsonNode shape = required(node, "shape");
        JsonNode offsets = required(node, "data_offsets");
        requireF32(dtype);
        int[] dims = dims(shape);
        long begin = offset(offsets, 0);
        long end = offset(offsets, 1);
        if (begin > end) {
            throw problem("has data_offsets [" + begin + ", " + end + "] that end before they begin");
        }
        if (end > dataBytes) {
            throw problem("with data_offsets [" + begin + ", " + end + "] runs past the end of the file: only "
                    + dataBytes + " data bytes follow the header");
        }
        requireSizeMatches(dims, begin, end);
        return new TensorInfo(dtype.textValue(), dims, begin, end);
    }

    private JsonNode required(JsonNode node, String field) throws SafeTensorsFormatException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw problem("is missing \"" + field + "\"");
        }
        return value;
    }

    private void requireF32(JsonNode dtype) throws SafeTensorsFormatException {
        if (!dtype.isTextual()) {
            throw problem("has a dtype that is not a string: " + dtype);
        }
        if (!dtype.textValue().equals(F32)) {
            throw problem("has dtype " + dtype.textValue() + "; only " + F32 + " is supported");
        }
    }

    private int[] dims(JsonNode shape) throws SafeTensorsFormatException {
        if (!shape.isArray()) {
            throw problem("has a shape that is not an array: " + shape);
        }
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber()) {
                throw problem("has a dimension that is not an integer in shape " + shape);
            }
            if (d.bigIntegerValue().signum() < 0) {
                throw problem("has a negative dimension in shape " + shape);
            }
            if (!d.canConvertToInt()) {
                throw problem("has a dimension too large for this reader in shape " + shape);
            }
            dims[i] = d.intValue();
        }
        return dims;
    }

    private long offset(JsonNode offsets, int index) throws SafeTensorsFormatException {
        if (!offsets.isArray() || offsets.size() != 2) {
            throw problem("has data_offsets that are not a pair [begin, end]: " + offsets);
        }
        JsonNode o = offsets.get(index);
        if (!o.isIntegralNumber() || o.bigIntegerValue().signum() < 0 || !o.canConvertToLong()) {
            throw problem("has data_offsets that are not non-negative byte offsets: " + offsets);
        }
        return o.longValue();
    }

    private void requireSizeMatches(int[] dims, long begin, long end) throws SafeTensorsFormatException {
        long needed = byteCount(dims);
        if (needed != end - begin) {
            throw problem("of shape " + Arrays.toString(dims) + " needs "
                    + (needed < 0 ? "more than 2^63" : Long.toString(needed))
                    + " bytes of F32 data but its data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        if (needed / Float.BYTES > MAX_ELEMENTS) {
            throw problem("has " + needed / Float.BYTES + " elements, more than one Java array holds");
        }
    }

    /** The bytes of F32 data the shape needs, or -1 where that overflows a long. */
    private static long byteCount(int[] dims) {
        if (Arrays.stream(dims).anyMatch(d -> d == 0)) {
            return 0;
        }
        try {
            long n = Float.BYTES;
            for (int d : dims) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    private SafeTensorsFormatException problem(String what) {
        return new SafeTensorsFormatException(file, "tensor \"" + name + "\" " + what);
    }
}
