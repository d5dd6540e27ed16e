package org.neuralgrid.model;

/**
 * Random changes to the training images, made on the data side every epoch from the seed and the epoch alone, so
 * every backend trains on the same images. The flips mirror an image; the crop pads it with 4 zero pixels on each
 * side and cuts a random 28x28 window (as the author's later code does).
 */
public enum Augment implements Choice {
    NONE(new Text("none", "the images as they are", ""), false, false, false),
    HFLIP(new Text("hflip", "mirror left-right half the time", ""), true, false, false),
    CROP(new Text("crop", "random crop, 4-pixel padding", ""), false, false, true),
    HFLIP_CROP(new Text("hflip-crop", "mirror and crop", ""), true, false, true),
    ALL(new Text("all", "mirror, flip upside down and crop", "Horizontal and vertical flips and the crop, as the"
            + " author's later code."), true, true, true);

    /** The zero padding of the crop, in pixels on each side. */
    public static final int CROP_PADDING = 4;

    private final Text text;
    private final boolean hflip;
    private final boolean vflip;
    private final boolean crop;

    Augment(Text text, boolean hflip, boolean vflip, boolean crop) {
        this.text = text;
        this.hflip = hflip;
        this.vflip = vflip;
        this.crop = crop;
    }

    @Override
    public Text text() {
        return text;
    }

    public boolean hflip() {
        return hflip;
    }

    public boolean vflip() {
        return vflip;
    }

    public boolean crop() {
        return crop;
    }
}
