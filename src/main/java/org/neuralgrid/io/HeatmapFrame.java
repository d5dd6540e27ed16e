package org.neuralgrid.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One picture of the grid on the wire (one {@link MapKind}: per-class activation maps, or one map of the grid's
 * parameters): a 52-byte little-endian header, then every cell quantised to one unsigned byte between the frame's
 * min and max (v = min + b/255 * (max - min)).
 *
 * <pre>
 * offset size field
 *  0     4    magic "NGHM"
 *  4     1    version (3; versions 1 and 2, written before, still read: see {@link #decode})
 *  5     1    dimensions of a map: 2 (rows x cols) or 3 (layers x rows x cols)
 *  6     2    classes (u16): the maps in the frame, 10 for a per-class kind, 1 for weights and biases
 *  8     4    epoch (u32)
 * 12     4    layers (u32; 1 for 2D maps)
 * 16     4    rows (u32) in this frame: grid height H, or sheet height, over blockRows
 * 20     4    cols (u32) in this frame: grid width W (input on the left), or sheet width, over blockCols
 * 24     4    min (f32)
 * 28     4    max (f32)
 * 32     4    gridRows (u32): rows of the grid's map
 * 36     4    gridCols (u32): columns of the grid's map
 * 40     4    blockRows (u32): grid rows per frame row
 * 44     4    blockCols (u32): grid columns per frame column
 * 48     1    kind (u8): {@link MapKind#code()}, 0 mean, 1 std, 2 contrast, 3 weights, 4 biases
 * 49     3    reserved, 0
 * 52     ...  classes*layers*rows*cols bytes, map-major, then layer, row, column
 * </pre>
 * A map wider or taller than {@link #MAX_SIDE} cells is sent as the means of blocks of cells (rows =
 * ceil(gridRows / blockRows), the last block of a row or column may be smaller), so that a 4096x4096 grid's
 * frame is 2.6 MB rather than 168 MB; smaller maps go cell for cell (blocks of 1). A 128x128 grid's ten mean maps
 * take 163,892 bytes, its one weights map 16,436.
 */
public record HeatmapFrame(MapKind kind, int epoch, int dims, int classes, int layers, int rows, int cols, float min, float max,
                           int gridRows, int gridCols, int blockRows, int blockCols, byte[] cells) {
    /** The header of the version written (3). */
    public static final int HEADER = 52;
    /** Where the kind byte is, in a version 3 header. */
    public static final int KIND_OFFSET = 48;
    private static final int VERSION = 3;
    private static final int HEADER_V2 = 48;
    private static final int HEADER_V1 = 32;
    /** Rows or columns of a map that a frame carries cell for cell; longer sides are averaged over blocks. */
    public static final int MAX_SIDE = 512;
    private static final int MAGIC = 'N' | 'G' << 8 | 'H' << 16 | 'M' << 24;

    public HeatmapFrame {
        if (!kind.perClass() && classes != 1) {
            throw new IllegalArgumentException("a " + kind.id() + " frame holds one map, not " + classes);
        }
    }

    /** Quantises a 2D grid's mean maps (layers = 1) or a 3D grid's, laid out (classes, layers, rows, cols). */
    public static HeatmapFrame quantise(int epoch, int classes, int layers, int rows, int cols, float[] values) {
        return quantise(MapKind.MEAN, epoch, layers == 1 ? 2 : 3, classes, layers, rows, cols, values);
    }

    /**
     * Quantises maps of a kind laid out (classes, layers, rows, cols), averaging blocks of cells where a side is
     * longer than {@link #MAX_SIDE}; dims is 3 for a 3D grid's sheets, even just one.
     */
    public static HeatmapFrame quantise(MapKind kind, int epoch, int dims, int classes, int layers, int rows,
                                        int cols, float[] values) {
        int br = blockFor(rows), bc = blockFor(cols);
        float[] shown = br == 1 && bc == 1 ? values : blockMeans(values, classes * layers, rows, cols, br, bc);
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : shown) {
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
        byte[] cells = new byte[shown.length];
        for (int i = 0; i < shown.length; i++) {
            float v = Float.isFinite(shown[i]) ? shown[i] : min;
            cells[i] = (byte) Math.round((v - min) * scale);
        }
        return new HeatmapFrame(kind, epoch, dims, classes, layers, ceilDiv(rows, br), ceilDiv(cols, bc), min, max,
                rows, cols, br, bc, cells);
    }

    /** Grid cells a frame cell stands for along a side of n cells: 1 up to MAX_SIDE. */
    static int blockFor(int n) {
        return Math.max(1, ceilDiv(n, MAX_SIDE));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** The mean of each br x bc block of each of the maps (rows x cols each); a non-finite cell makes its block NaN. */
    private static float[] blockMeans(float[] values, int maps, int rows, int cols, int br, int bc) {
        int fr = ceilDiv(rows, br), fc = ceilDiv(cols, bc);
        float[] out = new float[maps * fr * fc];
        for (int m = 0; m < maps; m++) {
            for (int r = 0; r < fr; r++) {
                for (int c = 0; c < fc; c++) {
                    double sum = 0;
                    int r1 = Math.min(rows, (r + 1) * br), c1 = Math.min(cols, (c + 1) * bc);
                    for (int y = r * br; y < r1; y++) {
                        int base = (m * rows + y) * cols;
                        for (int x = c * bc; x < c1; x++) {
                            sum += values[base + x];
                        }
                    }
                    out[(m * fr + r) * fc + c] = (float) (sum / ((r1 - r * br) * (c1 - c * bc)));
                }
            }
        }
        return out;
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(HEADER + cells.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).put((byte) VERSION).put((byte) dims).putShort((short) classes).putInt(epoch)
                .putInt(layers).putInt(rows).putInt(cols).putFloat(min).putFloat(max)
                .putInt(gridRows).putInt(gridCols).putInt(blockRows).putInt(blockCols)
                .put((byte) kind.code()).put(new byte[3]).put(cells);
        return b.array();
    }

    /**
     * Reads a version-3 frame; a version-2 frame (the same without the kind byte) or a version-1 frame (the first
     * 32 bytes of the header alone, blocks of 1), as stored by earlier versions, reads as mean maps.
     */
    public static HeatmapFrame decode(byte[] bytes) {
        if (bytes.length < HEADER_V1) {
            throw shorterThanHeader(bytes);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != MAGIC) {
            throw new IllegalArgumentException("not a heatmap frame");
        }
        int version = b.get();
        if (version < 1 || version > VERSION) {
            throw new IllegalArgumentException("unsupported heatmap frame version " + version);
        }
        int header = version == 1 ? HEADER_V1 : version == 2 ? HEADER_V2 : HEADER;
        if (bytes.length < header) {
            throw shorterThanHeader(bytes);
        }
        int dims = b.get();
        int classes = Short.toUnsignedInt(b.getShort());
        int epoch = b.getInt(), layers = b.getInt(), rows = b.getInt(), cols = b.getInt();
        float min = b.getFloat(), max = b.getFloat();
        int gridRows = rows, gridCols = cols, blockRows = 1, blockCols = 1;
        if (version >= 2) {
            gridRows = b.getInt();
            gridCols = b.getInt();
            blockRows = b.getInt();
            blockCols = b.getInt();
            if (blockRows < 1 || blockCols < 1 || gridRows < 0 || gridCols < 0
                    || rows != ceilDiv(gridRows, blockRows) || cols != ceilDiv(gridCols, blockCols)) {
                throw new IllegalArgumentException("heatmap frame of " + rows + "x" + cols + " cells does not cover a "
                        + gridRows + "x" + gridCols + " map in blocks of " + blockRows + "x" + blockCols);
            }
        }
        MapKind kind = version >= 3 ? MapKind.ofCode(Byte.toUnsignedInt(bytes[KIND_OFFSET])) : MapKind.MEAN;
        b.position(header);
        long n = (long) classes * layers * rows * cols;
        if (rows < 0 || cols < 0 || layers < 0 || n != bytes.length - header) {
            throw new IllegalArgumentException("heatmap frame says " + n + " cells but holds "
                    + (bytes.length - header));
        }
        byte[] cells = new byte[(int) n];
        b.get(cells);
        return new HeatmapFrame(kind, epoch, dims, classes, layers, rows, cols, min, max, gridRows, gridCols,
                blockRows, blockCols, cells);
    }

    /**
     * The kind of an encoded frame from its first bytes alone (at least up to the kind byte; versions 1 and 2 and
     * anything too short to say: mean), for whoever routes frames by kind without decoding them.
     */
    public static MapKind kindOf(byte[] head) {
        if (head.length <= KIND_OFFSET || head[4] < VERSION) {
            return MapKind.MEAN;
        }
        return MapKind.ofCode(Byte.toUnsignedInt(head[KIND_OFFSET]));
    }

    private static IllegalArgumentException shorterThanHeader(byte[] bytes) {
        return new IllegalArgumentException("heatmap frame of " + bytes.length + " bytes is shorter than its header");
    }

    /** The value a cell stands for. */
    public float value(int i) {
        return min + (cells[i] & 0xff) / 255f * (max - min);
    }
}
