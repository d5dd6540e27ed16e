package org.neuralgrid.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Heatmap frames: quantised maps of every kind on the wire, cell for cell up to 512 a side and block means beyond;
 * frames of earlier versions still read.
 */
class HeatmapFrameTest {

    static float[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** Half a quantisation step of the frame, and a little for float rounding. */
    static double step(HeatmapFrame f) {
        return (f.max() - f.min()) / 255.0 / 2 + 1e-6;
    }

    @Test
    void mapsUpTo512ASideGoCellForCellAndSurviveTheRoundTrip() {
        float[] values = random(10 * 128 * 128, 1);
        HeatmapFrame f = HeatmapFrame.quantise(7, 10, 1, 128, 128, values);
        byte[] bytes = f.encode();
        assertEquals(163_892, bytes.length);
        HeatmapFrame back = HeatmapFrame.decode(bytes);
        assertEquals(7, back.epoch());
        assertEquals(2, back.dims());
        assertEquals(Arrays.asList(128, 128, 128, 128, 1, 1), Arrays.asList(back.rows(), back.cols(),
                back.gridRows(), back.gridCols(), back.blockRows(), back.blockCols()));
        assertArrayEquals(f.cells(), back.cells());
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], back.value(i), step(back));
        }
    }

    @Test
    void aLargerMapIsSentAsTheMeansOfBlocksTheLastOnesSmaller() {
        int rows = 1100, cols = 600, classes = 2;   // blocks of 3 x 2: 367 x 300, the last row of blocks 2 high
        float[] values = random(classes * rows * cols, 2);
        HeatmapFrame f = HeatmapFrame.decode(HeatmapFrame.quantise(3, classes, 1, rows, cols, values).encode());
        assertEquals(Arrays.asList(367, 300, 1100, 600, 3, 2), Arrays.asList(f.rows(), f.cols(), f.gridRows(),
                f.gridCols(), f.blockRows(), f.blockCols()));
        assertEquals(classes * 367 * 300, f.cells().length);
        for (int cls = 0; cls < classes; cls++) {
            for (int r : new int[] {0, 1, 200, 366}) {
                for (int c : new int[] {0, 150, 299}) {
                    double sum = 0;
                    int n = 0;
                    for (int y = r * 3; y < Math.min(rows, r * 3 + 3); y++) {
                        for (int x = c * 2; x < c * 2 + 2; x++) {
                            sum += values[(cls * rows + y) * cols + x];
                            n++;
                        }
                    }
                    assertEquals(r == 366 ? 4 : 6, n);
                    assertEquals(sum / n, f.value((cls * 367 + r) * 300 + c), step(f), "block " + r + "," + c);
                }
            }
        }
    }

    @Test
    void aFullSizeGridFrameStaysSmall() {
        HeatmapFrame f = HeatmapFrame.quantise(1, 10, 1, 4096, 4096, new float[10 * 4096 * 4096]);
        assertEquals(512, f.rows());
        assertEquals(8, f.blockRows());
        assertTrue(f.encode().length < 3_000_000, f.encode().length + " bytes");
    }

    @Test
    void sheetsOfA3dGridAreNeverAveraged() {
        float[] values = random(10 * 1024 * 28 * 28, 3);
        HeatmapFrame f = HeatmapFrame.quantise(MapKind.MEAN, 2, 3, 10, 1024, 28, 28, values);
        assertEquals(Arrays.asList(3, 1024, 28, 28, 1, 1), Arrays.asList(f.dims(), f.layers(), f.rows(), f.cols(),
                f.blockRows(), f.blockCols()));
        assertEquals(values[12345], f.value(12345), step(f));
    }

    @Test
    void aVersion1FrameWrittenByEarlierVersionsStillReads() {
        ByteBuffer b = ByteBuffer.allocate(32 + 2 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt('N' | 'G' << 8 | 'H' << 16 | 'M' << 24).put((byte) 1).put((byte) 2).putShort((short) 2).putInt(5)
                .putInt(1).putInt(3).putInt(4).putFloat(-1f).putFloat(1f);
        for (int i = 0; i < 24; i++) {
            b.put((byte) (i * 10));
        }
        HeatmapFrame f = HeatmapFrame.decode(b.array());
        assertEquals(Arrays.asList(5, 3, 4, 3, 4, 1, 1), Arrays.asList(f.epoch(), f.rows(), f.cols(), f.gridRows(),
                f.gridCols(), f.blockRows(), f.blockCols()));
        assertEquals(-1f + 230 / 255f * 2, f.value(23), 1e-6);
    }

    @Test
    void everyKindSurvivesTheRoundTripWithItsCodeInByte48AndAOneMapKindIsATenthOfAPerClassOne() {
        for (MapKind kind : MapKind.values()) {
            float[] values = random(kind.maps() * 128 * 128, kind.code());
            byte[] bytes = HeatmapFrame.quantise(kind, 4, 2, kind.maps(), 1, 128, 128, values).encode();
            assertEquals(3, bytes[4], "version");
            assertEquals(kind.code(), bytes[48], kind.id());
            assertArrayEquals(new byte[3], Arrays.copyOfRange(bytes, 49, 52), "reserved");
            assertEquals(52 + kind.maps() * 128 * 128, bytes.length, kind.id());
            assertEquals(kind, HeatmapFrame.kindOf(Arrays.copyOf(bytes, 52)));
            HeatmapFrame back = HeatmapFrame.decode(bytes);
            assertEquals(kind, back.kind());
            assertEquals(Arrays.asList(4, kind.maps(), 128, 128), Arrays.asList(back.epoch(), back.classes(),
                    back.rows(), back.cols()));
            assertEquals(values[777], back.value(777), step(back));
        }
        assertEquals(List.of(0, 1, 2, 3, 4), Stream.of(MapKind.values()).map(MapKind::code).toList());
    }

    @Test
    void aVersion2FrameWrittenByEarlierVersionsReadsAsMeanMaps() {
        byte[] v3 = HeatmapFrame.quantise(MapKind.CONTRAST, 6, 2, 10, 1, 3, 4, random(10 * 3 * 4, 5)).encode();
        byte[] v2 = new byte[v3.length - 4];
        System.arraycopy(v3, 0, v2, 0, 48);
        System.arraycopy(v3, 52, v2, 48, v3.length - 52);
        v2[4] = 2;
        HeatmapFrame f = HeatmapFrame.decode(v2);
        assertEquals(MapKind.MEAN, f.kind());
        assertEquals(MapKind.MEAN, HeatmapFrame.kindOf(v2));
        assertEquals(6, f.epoch());
        assertArrayEquals(Arrays.copyOfRange(v3, 52, v3.length), f.cells());
    }

    @Test
    void aFrameOfAnUnknownKindOrOfOneMapKindWithManyMapsIsRefused() {
        byte[] good = HeatmapFrame.quantise(MapKind.WEIGHTS, 1, 2, 1, 1, 3, 4, random(12, 6)).encode();
        byte[] unknown = good.clone();
        unknown[48] = 9;
        assertTrue(message(unknown).contains("kind code 9"), message(unknown));
        assertThrows(IllegalArgumentException.class,
                () -> HeatmapFrame.quantise(MapKind.BIASES, 1, 2, 10, 1, 3, 4, random(120, 7)));
    }

    @Test
    void malformedFramesAreRefusedWithAReason() {
        byte[] good = HeatmapFrame.quantise(1, 10, 1, 600, 4, random(10 * 600 * 4, 4)).encode();
        assertTrue(message(Arrays.copyOf(good, 20)).contains("shorter than its header"));
        assertTrue(message(Arrays.copyOf(good, good.length - 1)).contains("cells but holds"));
        byte[] version = good.clone();
        version[4] = 9;
        assertTrue(message(version).contains("version 9"));
        byte[] blocks = good.clone();
        ByteBuffer.wrap(blocks).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 3);   // 300 rows cannot be 600 in 3s
        assertTrue(message(blocks).contains("does not cover"), message(blocks));
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertTrue(message(magic).contains("not a heatmap frame"));
    }

    private static String message(byte[] bytes) {
        return assertThrows(IllegalArgumentException.class, () -> HeatmapFrame.decode(bytes)).getMessage();
    }
}
