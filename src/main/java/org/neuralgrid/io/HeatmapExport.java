package org.neuralgrid.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The numbers behind a frame's picture, for whoever wants to plot or analyse them elsewhere: the frame's cells
 * dequantised ({@link HeatmapFrame#value}, so within half a quantisation step of what was measured, and block means
 * where the frame averaged blocks), as a NumPy {@code .npy} array or as CSV.
 */
public final class HeatmapExport {
    /** The CSV's first line; map is the class index of a per-class kind, 0 for weights and biases. */
    public static final String CSV_HEADER = "map,layer,row,col,value";
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    /** npy headers are padded so that the data starts at a multiple of this. */
    private static final int NPY_ALIGN = 64;

    private HeatmapExport() {
    }

    /**
     * A version 1.0 .npy file: little-endian float32 of shape (maps, layers, rows, cols), C order, where maps is
     * the frame's classes (1 for weights and biases) and rows and cols those of the frame.
     */
    public static byte[] npy(HeatmapFrame f) {
        String dict = String.format(Locale.ROOT, "{'descr': '<f4', 'fortran_order': False, "
                + "'shape': (%d, %d, %d, %d), }", f.classes(), f.layers(), f.rows(), f.cols());
        int unpadded = NPY_MAGIC.length + 2 + dict.length() + 1;
        int padding = (NPY_ALIGN - unpadded % NPY_ALIGN) % NPY_ALIGN;
        String header = dict + " ".repeat(padding) + "\n";
        int cells = f.cells().length;
        ByteBuffer b = ByteBuffer.allocate(NPY_MAGIC.length + 2 + header.length() + 4 * cells)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(NPY_MAGIC).putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < cells; i++) {
            b.putFloat(f.value(i));
        }
        return b.array();
    }

    /** CSV with {@link #CSV_HEADER} and one row per cell, map by map (then layer, row, column). */
    public static String csv(HeatmapFrame f) {
        StringBuilder s = new StringBuilder(CSV_HEADER.length() + 1 + f.cells().length * 16);
        s.append(CSV_HEADER).append('\n');
        int i = 0;
        for (int m = 0; m < f.classes(); m++) {
            for (int l = 0; l < f.layers(); l++) {
                for (int r = 0; r < f.rows(); r++) {
                    for (int c = 0; c < f.cols(); c++) {
                        s.append(m).append(',').append(l).append(',').append(r).append(',').append(c).append(',')
                                .append(f.value(i++)).append('\n');
                    }
                }
            }
        }
        return s.toString();
    }
}
