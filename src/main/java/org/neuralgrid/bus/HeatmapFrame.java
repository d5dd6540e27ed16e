package org.neuralgrid.bus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One snapshot of the per-class activation maps on the wire: a 32-byte little-endian header, then every cell
 * quantised to one unsigned byte between the frame's min and max (v = min + b/255 * (max - min)).
 *
 * <pre>
 * offset size field
 *  0     4    magic "NGHM"
 *  4     1    version (1)
 *  5     1    dimensions of a class's map: 2 (rows x cols) or 3 (layers x rows x cols)
 *  6     2    classes (u16)
 *  8     4    epoch (u32)
 * 12     4    layers (u32; 1 for 2D maps)
 * 16     4    rows (u32): grid height H, or sheet height
 * 20     4    cols (u32): grid width W (input on the left), or sheet width
 * 24     4    min (f32)
 * 28     4    max (f32)
 * 32     ...  classes*layers*rows*cols bytes, class-major, then layer, row, column
 * </pre>
 * A 128x128 grid's ten maps take 163,872 bytes.
 */
public record HeatmapFrame(int epoch, int dims, int classes, int layers, int rows, int cols, float min, float max,
                           byte[] cells) {
    public static final int HEADER = 32;
    private static final int MAGIC = 'N' | 'G' << 8 | 'H' << 16 | 'M' << 24;

    /** Quantises a 2D grid's maps (layers = 1) or a 3D grid's (layers &gt; 1), laid out (classes, layers, rows, cols). */
    public static HeatmapFrame quantise(int epoch, int classes, int layers, int rows, int cols, float[] values) {
        return quantise(epoch, layers == 1 ? 2 : 3, classes, layers, rows, cols, values);
    }

    /** Quantises maps laid out (classes, layers, rows, cols); dims is 3 for a 3D grid's sheets, even just one. */
    public static HeatmapFrame quantise(int epoch, int dims, int classes, int layers, int rows, int cols,
                                        float[] values) {
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > max) {
            min = 0;
            max = 0;
        }
        float scale = max > min ? 255f / (max - min) : 0f;
        byte[] cells = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = Float.isFinite(values[i]) ? values[i] : min;
            cells[i] = (byte) Math.round((v - min) * scale);
        }
        return new HeatmapFrame(epoch, dims, classes, layers, rows, cols, min, max, cells);
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(HEADER + cells.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).put((byte) 1).put((byte) dims).putShort((short) classes).putInt(epoch)
                .putInt(layers).putInt(rows).putInt(cols).putFloat(min).putFloat(max).put(cells);
        return b.array();
    }

    public static HeatmapFrame decode(byte[] bytes) {
        if (bytes.length < HEADER) {
            throw new IllegalArgumentException("heatmap frame of " + bytes.length + " bytes is shorter than its header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != MAGIC || b.get() != 1) {
            throw new IllegalArgumentException("not a version-1 heatmap frame");
        }
        int dims = b.get();
        int classes = Short.toUnsignedInt(b.getShort());
        int epoch = b.getInt(), layers = b.getInt(), rows = b.getInt(), cols = b.getInt();
        float min = b.getFloat(), max = b.getFloat();
        long n = (long) classes * layers * rows * cols;
        if (n != bytes.length - HEADER) {
            throw new IllegalArgumentException("heatmap frame says " + n + " cells but holds " + (bytes.length - HEADER));
        }
        byte[] cells = new byte[(int) n];
        b.get(cells);
        return new HeatmapFrame(epoch, dims, classes, layers, rows, cols, min, max, cells);
    }

    /** The value a cell stands for. */
    public float value(int i) {
        return min + (cells[i] & 0xff) / 255f * (max - min);
    }
}
