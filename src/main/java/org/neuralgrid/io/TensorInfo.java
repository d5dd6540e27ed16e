package org.neuralgrid.io;

import java.util.Arrays;

/**
 * One tensor's entry in a safetensors header. {@code begin} and {@code end} are byte offsets into the data
 * buffer that follows the header, not into the file.
 */
public record TensorInfo(String dtype, int[] shape, long begin, long end) {

    public long byteCount() {
        return end - begin;
    }

    public String shapeText() {
        return Arrays.toString(shape);
    }
}
