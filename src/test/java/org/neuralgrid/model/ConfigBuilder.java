package org.neuralgrid.model;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Configurations for tests, written as what matters to the test: {@code ConfigBuilder.grid(13, 6).kernel(5)
 * .batch(37).build()}. Everything not named is a small, fixed test recipe (pinned here, so that a change of the
 * published defaults does not change what a test trains): k = 3, sine, gain √2, Adam at 1e-3 stepped by 0.1 every
 * 100 epochs, one epoch, seed 3, 64 + 64 synthetic images, activation maps of 64 images a class, the Java backend
 * on 2 threads, no checkpoints. A new configuration field is pinned here too ({@code ConfigBuilderTest} says so).
 */
public final class ConfigBuilder {
    private final Map<String, Object> values = new LinkedHashMap<>();

    private ConfigBuilder() {
        values.put("kernel", 3);
        values.put("activation", Activation.SIN);
        values.put("gain", Math.sqrt(2));
        values.put("lr", 1e-3);
        values.put("lrStep", 100);
        values.put("lrGamma", 0.1);
        values.put("schedule", Schedule.STEP);
        values.put("warmup", 0);
        values.put("weightDecay", 0.0);
        values.put("labelSmoothing", 0.0);
        values.put("patience", 0);
        values.put("validation", 0);
        values.put("augment", Augment.NONE);
        values.put("normalization", Normalization.FASHION_MNIST);
        values.put("epochs", 1);
        values.put("seed", 3L);
        values.put("dataset", DatasetKind.SYNTHETIC);
        values.put("samples", 64);
        values.put("testSamples", 64);
        values.put("mapSamples", 64);
        values.put("backend", BackendSpec.JAVA);
        values.put("threads", 2);
        values.put("checkpointEvery", 0);
    }

    /** A 2D grid of height h (cells per layer) and width w (layers). */
    public static ConfigBuilder grid(int h, int w) {
        return new ConfigBuilder().set("gridType", GridType.TWO_D).set("height", h).set("width", w);
    }

    /** A 3D grid of that many 28x28 sheets. */
    public static ConfigBuilder sheets(int layers) {
        return new ConfigBuilder().set("gridType", GridType.THREE_D).set("layers", layers);
    }

    public ConfigBuilder kernel(int k) {
        return set("kernel", k);
    }

    public ConfigBuilder activation(Activation a) {
        return set("activation", a);
    }

    public ConfigBuilder gain(double g) {
        return set("gain", g);
    }

    public ConfigBuilder batch(int b) {
        return set("batch", b);
    }

    public ConfigBuilder lr(double lr) {
        return set("lr", lr);
    }

    /** The step schedule: multiply by gamma every {@code step} epochs. */
    public ConfigBuilder lrSteps(int step, double gamma) {
        return set("lrStep", step).set("lrGamma", gamma);
    }

    public ConfigBuilder epochs(int e) {
        return set("epochs", e);
    }

    public ConfigBuilder seed(long s) {
        return set("seed", s);
    }

    /** Synthetic training and test images. */
    public ConfigBuilder samples(int train, int test) {
        return set("samples", train).set("testSamples", test);
    }

    public ConfigBuilder backend(String spec) {
        return set("backend", BackendSpec.parse(spec));
    }

    public ConfigBuilder threads(int t) {
        return set("threads", t);
    }

    public ConfigBuilder checkpointEvery(int e) {
        return set("checkpointEvery", e);
    }

    /** Any field by its name, with its value as the record holds it. */
    public ConfigBuilder set(String field, Object value) {
        values.put(field, value);
        return this;
    }

    /** The fields this builder sets; the rest keep the published defaults. */
    Set<String> named() {
        Set<String> names = new HashSet<>(values.keySet());
        names.add("batch");
        return names;
    }

    /** The configuration; batch defaults to 16 where none was named. Not validated: tests of limits need that. */
    public RunConfig build() {
        values.putIfAbsent("batch", 16);
        return RunConfig.defaults().with(values);
    }
}
