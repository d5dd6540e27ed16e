package org.neuralgrid.model;

/**
 * How the learning rate moves over a run. Every schedule can start with a linear warm-up (the warmup field);
 * the rate is set before every step, so cosine and one-cycle move within an epoch too.
 */
public enum Schedule implements Choice {
    STEP(new Text("step", "multiply by γ every lrStep epochs", "The published schedule: the rate is multiplied by"
            + " lrGamma every lrStep epochs.")),
    COSINE(new Text("cosine", "cosine down to 0", "After the warm-up the rate falls along half a cosine to 0 at"
            + " the last step.")),
    ONECYCLE(new Text("onecycle", "up, then cosine down", "One cycle (Smith 2018; PyTorch's OneCycleLR with a linear"
            + " climb and no momentum cycling): the rate climbs linearly from lr/25 to lr over the warm-up (30 % of"
            + " the steps when warmup is 0), then falls along a cosine to lr/25/10⁴."));

    private final Text text;

    Schedule(Text text) {
        this.text = text;
    }

    @Override
    public Text text() {
        return text;
    }
}
