package org.neuralgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code neuralgrid render}: a run folder's maps of an epoch as a PNG for a paper. */
class RenderCommandTest {

    private static Path trainedRun(Path dir, String... extra) {
        String[] base = {"train", "--dataset", "synthetic", "--samples", "256", "--test-samples", "64", "--grid",
            "12x5", "--batch", "64", "--epochs", "2", "--validation", "64", "--out", dir.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        CommandLineTest.Result r = CommandLineTest.run(args);
        assertEquals(0, r.code(), r.err());
        return dir;
    }

    @Test
    void theMapsBeforeTrainingAndOfTheBestEpochBecomePngsWithTenPanels(@TempDir Path dir) throws Exception {
        Path run = trainedRun(dir);
        for (String epoch : new String[] {"0", "best", "last"}) {
            Path png = dir.resolve("maps-" + epoch + ".png");
            CommandLineTest.Result r = CommandLineTest.run("render", run.toString(), "--epoch", epoch, "--out",
                    png.toString());
            assertEquals(0, r.code(), r.err());
            BufferedImage img = ImageIO.read(png.toFile());
            // two rows of five 12x5 maps, each drawn with 21 pixels a cell: 5 * 105 wide plus gaps
            assertEquals(14 + 5 * (5 * 21 + 14), img.getWidth(), epoch);
            assertTrue(img.getHeight() > 2 * 12 * 21, epoch);
        }
    }

    @Test
    void aSineRunIsDrawnBlueWhiteRedAndViridisOnRequest(@TempDir Path dir) throws Exception {
        Path run = trainedRun(dir);
        Path diverging = dir.resolve("d.png");
        Path viridis = dir.resolve("v.png");
        assertEquals(0, CommandLineTest.run("render", run.toString(), "--epoch", "1", "--out", diverging.toString())
                .code());
        assertEquals(0, CommandLineTest.run("render", run.toString(), "--epoch", "1", "--scale", "viridis", "--out",
                viridis.toString()).code());
        // inside the first panel (below the title and the class name): red and blue on one, none on the other
        assertTrue(hasRedAndBlue(ImageIO.read(diverging.toFile())), "diverging");
        assertTrue(!hasRedAndBlue(ImageIO.read(viridis.toFile())), "viridis");
    }

    @Test
    void aMissingEpochOrScaleIsABadOptionWithExitCode2(@TempDir Path dir) {
        Path run = trainedRun(dir);
        CommandLineTest.Result missing = CommandLineTest.run("render", run.toString(), "--epoch", "99");
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("no maps of epoch 99"), missing.err());
        CommandLineTest.Result scale = CommandLineTest.run("render", run.toString(), "--scale", "rainbow");
        assertEquals(2, scale.code());
        assertTrue(scale.err().contains("--scale must be viridis or diverging"), scale.err());
        assertTrue(!Files.exists(run.resolve("maps-epoch-99.png")));
    }

    private static boolean hasRedAndBlue(BufferedImage img) {
        boolean red = false, blue = false;
        for (int y = 60; y < img.getHeight() - 60; y++) {
            for (int x = 14; x < 14 + 105; x++) {
                int rgb = img.getRGB(x, y);
                int r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
                red |= r > 200 && b < 150 && g < 150;
                blue |= b > 150 && r < 120;
            }
        }
        return red && blue;
    }
}
