package org.neuralgrid.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.neuralgrid.io.HeatmapFrame;

/**
 * A frame of activation maps as a picture for a paper, like the write-up's Figures 2 and 3: the classes' maps in two
 * rows of five under their names (2D: a layer per column, input on the left; 3D: one sheet of the chosen layer),
 * one colour scale for all of them with a bar under them, and a title. A frame of one map (the grid's weights or
 * biases) is one panel, as wide as its title needs. Drawn headless with Java2D.
 */
public final class MapPicture {
    private static final int PER_ROW = 5;
    private static final int GAP = 14;
    private static final int LABEL = 20;
    private static final int TITLE = 30;
    private static final int BAR = 14;
    private static final int BAR_LABELS = 20;
    /** A panel's longer side, about: small maps are drawn with several pixels a cell. */
    private static final int PANEL = 256;
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);

    /**
     * @param title  the line above the maps
     * @param names  the classes' names, in label order
     * @param scale  the colour map
     * @param layer  3D frames: the layer (0-based) whose sheets are drawn
     */
    public record Style(String title, List<String> names, ColourScale scale, int layer) {
    }

    private MapPicture() {
    }

    public static BufferedImage render(HeatmapFrame frame, Style style) {
        int px = Math.max(1, PANEL / Math.max(frame.rows(), frame.cols()));
        int w = frame.cols() * px, h = frame.rows() * px;
        int perRow = Math.min(PER_ROW, frame.classes());
        int rows = (frame.classes() + perRow - 1) / perRow;
        int width = Math.max(GAP + perRow * (w + GAP), 2 * GAP + textWidth(style.title(), TITLE_FONT));
        int height = TITLE + rows * (LABEL + h + GAP) + BAR + BAR_LABELS + GAP;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.DARK_GRAY);
            g.setFont(TITLE_FONT);
            g.drawString(style.title(), GAP, 21);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            double[] range = range(frame, style.scale());
            for (int c = 0; c < frame.classes(); c++) {
                int x = GAP + (c % perRow) * (w + GAP);
                int y = TITLE + (c / perRow) * (LABEL + h + GAP);
                g.setColor(Color.DARK_GRAY);
                g.drawString(c < style.names().size() ? style.names().get(c) : "class " + c, x, y + 14);
                drawMap(img, frame, c, style, range, x, y + LABEL, px);
            }
            drawBar(g, style.scale(), range, GAP, height - BAR - BAR_LABELS - GAP / 2, width - 2 * GAP);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The width of a line of text, measured before there is a picture to draw it on. */
    private static int textWidth(String text, Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(font).stringWidth(text);
        } finally {
            g.dispose();
        }
    }

    public static void writePng(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this Java runtime");
        }
    }

    /** The shown range: the frame's min and max, or for a centred scale -limit..limit around 0. */
    static double[] range(HeatmapFrame f, ColourScale scale) {
        if (!scale.centred()) {
            return new double[] {f.min(), f.max()};
        }
        double limit = Math.max(Math.abs(f.min()), Math.abs(f.max()));
        return new double[] {-limit, limit};
    }

    private static void drawMap(BufferedImage img, HeatmapFrame f, int cls, Style style, double[] range, int x0,
                                int y0, int px) {
        int layer = Math.max(0, Math.min(style.layer(), f.layers() - 1));
        int base = (cls * f.layers() + layer) * f.rows() * f.cols();
        for (int r = 0; r < f.rows(); r++) {
            for (int c = 0; c < f.cols(); c++) {
                double v = f.min() + (f.cells()[base + r * f.cols() + c] & 0xff) / 255.0 * (f.max() - f.min());
                int rgb = style.scale().colour(v, range[0], range[1]);
                for (int dy = 0; dy < px; dy++) {
                    for (int dx = 0; dx < px; dx++) {
                        img.setRGB(x0 + c * px + dx, y0 + r * px + dy, rgb);
                    }
                }
            }
        }
    }

    private static void drawBar(Graphics2D g, ColourScale scale, double[] range, int x, int y, int width) {
        for (int i = 0; i < width; i++) {
            double v = range[0] + (range[1] - range[0]) * i / (width - 1.0);
            g.setColor(new Color(scale.colour(v, range[0], range[1])));
            g.fillRect(x + i, y, 1, BAR);
        }
        g.setColor(Color.GRAY);
        g.drawRect(x, y, width - 1, BAR);
        g.setColor(Color.DARK_GRAY);
        FontMetrics m = g.getFontMetrics();
        int ty = y + BAR + m.getAscent() + 2;
        g.drawString(number(range[0]), x, ty);
        String hi = number(range[1]);
        g.drawString(hi, x + width - m.stringWidth(hi), ty);
        String mid = scale.centred() ? "0 (white)" : "";
        g.drawString(mid, x + (width - m.stringWidth(mid)) / 2, ty);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.3f", v);
    }
}
