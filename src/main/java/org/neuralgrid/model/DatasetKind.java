package org.neuralgrid.model;

/** Where a run's images come from. */
public enum DatasetKind implements Choice {
    FASHION_MNIST(new Text("fashion-mnist", "60,000 / 10,000 images",
            "Fashion-MNIST is fetched once into the data folder.")),
    SYNTHETIC(new Text("synthetic", "generated, sizes below",
            "Generated class-dependent images; trains in seconds, good for a first look."));

    private final Text text;

    DatasetKind(Text text) {
        this.text = text;
    }

    @Override
    public Text text() {
        return text;
    }
}
