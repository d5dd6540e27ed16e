package org.neuralgrid.io;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A picture turned into what the model reads, as Fashion-MNIST is made: 28x28 greyscale brightnesses in [0, 1],
 * a light object on a dark ground. The picture is scaled to fit 28x28 keeping its proportions and centred;
 * transparent parts count as dark; a picture on a light ground (a photo on white paper, the usual case) is
 * inverted, which {@link #inverted()} reports.
 *
 * @param pixels   784 brightnesses, row by row
 * @param inverted whether light and dark were swapped (the picture's border was light on average)
 * @param width    the picture's own width
 * @param height   the picture's own height
 */
public record ProbeImage(float[] pixels, boolean inverted, int width, int height) {
    public static final int SIDE = 28;
    /** Larger files are refused before decoding. */
    public static final int MAX_BYTES = 4 << 20;
    /** Larger pictures are refused before their pixels are decoded (a small file can hold a huge picture). */
    public static final int MAX_SIDE = 8192;

    /** Decodes a PNG, JPEG, GIF or BMP file; an IllegalArgumentException says why one cannot be used. */
    public static ProbeImage decode(byte[] file) {
        if (file.length == 0) {
            throw new IllegalArgumentException("the image is empty");
        }
        if (file.length > MAX_BYTES) {
            throw new IllegalArgumentException("the image has " + file.length + " bytes; at most " + MAX_BYTES
                    + " are read");
        }
        BufferedImage picture = read(file);
        return fromPicture(picture);
    }

    private static BufferedImage read(byte[] file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException("not an image (PNG, JPEG, GIF or BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0), h = reader.getHeight(0);
                if (w > MAX_SIDE || h > MAX_SIDE) {
                    throw new IllegalArgumentException("the image is " + w + "x" + h + " pixels; at most "
                            + MAX_SIDE + " a side");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException known && known.getMessage() != null
                    && (known.getMessage().startsWith("the image") || known.getMessage().startsWith("not an"))) {
                throw known;
            }
            throw new IllegalArgumentException("the image cannot be decoded (" + e.getMessage() + ")", e);
        }
    }

    /** Scales and converts a decoded picture. */
    static ProbeImage fromPicture(BufferedImage picture) {
        int w = picture.getWidth(), h = picture.getHeight();
        double scale = Math.min((double) SIDE / w, (double) SIDE / h);
        int sw = Math.max(1, (int) Math.round(w * scale)), sh = Math.max(1, (int) Math.round(h * scale));
        BufferedImage small = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = small.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(picture, (SIDE - sw) / 2, (SIDE - sh) / 2, sw, sh, null);
        } finally {
            g.dispose();
        }
        float[] px = new float[SIDE * SIDE];
        boolean[] covered = new boolean[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int argb = small.getRGB(x, y);
                double alpha = (argb >>> 24) / 255.0;
                double luma = (0.299 * (argb >> 16 & 0xff) + 0.587 * (argb >> 8 & 0xff) + 0.114 * (argb & 0xff)) / 255;
                px[y * SIDE + x] = (float) (luma * alpha);
                covered[y * SIDE + x] = alpha > 0.5;
            }
        }
        boolean invert = lightGround(px, covered);
        if (invert) {
            for (int i = 0; i < px.length; i++) {
                px[i] = covered[i] ? 1 - px[i] : 0;
            }
        }
        return new ProbeImage(px, invert, w, h);
    }

    /** Whether the opaque pixels on the picture's outer edge are light on average. */
    private static boolean lightGround(float[] px, boolean[] covered) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < SIDE; i++) {
            for (int at : new int[] {i, (SIDE - 1) * SIDE + i, i * SIDE, i * SIDE + SIDE - 1}) {
                if (covered[at]) {
                    sum += px[at];
                    n++;
                }
            }
        }
        return n > 0 && sum / n > 0.5;
    }
}
