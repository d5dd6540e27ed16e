package org.neuralgrid.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The numbers behind a frame's picture as NumPy .npy and as CSV. */
class HeatmapExportTest {

    @Test
    void npyIsFloat32OfShapeMapsLayersRowsColsWithTheFramesDequantisedValues() {
        HeatmapFrame f = HeatmapFrame.quantise(MapKind.STD, 2, 3, 10, 2, 5, 7,
                HeatmapFrameTest.random(10 * 2 * 5 * 7, 1));
        byte[] npy = HeatmapExport.npy(f);
        assertEquals("\u0093NUMPY", new String(npy, 0, 6, StandardCharsets.ISO_8859_1));
        assertEquals(1, npy[6]);
        assertEquals(0, npy[7]);
        int headerLength = ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
        assertEquals(0, (10 + headerLength) % 64, "the data starts aligned");
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (10, 2, 5, 7), }"), header);
        assertTrue(header.endsWith("\n"), header);
        ByteBuffer data = ByteBuffer.wrap(npy, 10 + headerLength, npy.length - 10 - headerLength)
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(10 * 2 * 5 * 7 * 4, data.remaining());
        for (int i = 0; i < f.cells().length; i++) {
            assertEquals(f.value(i), data.getFloat());
        }
    }

    @Test
    void csvHasAHeaderAndARowPerCellMapByMap() {
        HeatmapFrame f = HeatmapFrame.quantise(MapKind.WEIGHTS, 1, 2, 1, 1, 4, 3, HeatmapFrameTest.random(12, 2));
        String[] lines = HeatmapExport.csv(f).split("\n");
        assertEquals(1 + 12, lines.length);
        assertEquals("map,layer,row,col,value", lines[0]);
        String[] last = lines[12].split(",");
        assertEquals(Arrays.asList("0", "0", "3", "2"), Arrays.asList(last).subList(0, 4));
        assertEquals(f.value(11), Float.parseFloat(last[4]));

        HeatmapFrame perClass = HeatmapFrame.quantise(3, 10, 1, 4, 3, HeatmapFrameTest.random(120, 3));
        String[] rows = HeatmapExport.csv(perClass).split("\n");
        assertEquals(1 + 120, rows.length);
        assertTrue(rows[120].startsWith("9,0,3,2,"), rows[120]);
    }
}
