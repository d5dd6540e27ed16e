package org.neuralgrid.model;

/**
 * The two published forms: a 2D grid (columns of H cells, a dense layer in front) and a 3D grid (image-shaped
 * sheets with k x k windows; the image itself is the first sheet).
 */
public enum GridType implements Choice {
    TWO_D(new Text("2d", "layers are columns of H cells", "A dense layer maps the image onto H cells; W grid layers"
            + " follow, each cell summing a window of k cells of the previous layer (the published default).")),
    THREE_D(new Text("3d", "layers are 28×28 sheets", "The image is the input sheet; each of the L grid layers is a"
            + " 28×28 sheet whose cells sum a k×k window of the previous sheet. No dense layer in front; the last"
            + " sheet feeds the output."));

    private final Text text;

    GridType(Text text) {
        this.text = text;
    }

    @Override
    public Text text() {
        return text;
    }
}
