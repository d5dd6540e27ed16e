package org.neuralgrid.model;

/** Where a run's images come from. */
public enum DatasetKind implements Choice {
    FASHION_MNIST("fashion-mnist", "60,000 / 10,000 images", "Fashion-MNIST is fetched once into the data folder."),
    SYNTHETIC("synthetic", "generated, sizes below",
            "Generated class-dependent images; trains in seconds, good for a first look.");

    private final String id;
    private final String label;
    private final String help;

    DatasetKind(String id, String label, String help) {
        this.id = id;
        this.label = label;
        this.help = help;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String help() {
        return help;
    }
}
