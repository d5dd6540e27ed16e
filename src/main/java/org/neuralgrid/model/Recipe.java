package org.neuralgrid.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A named set of field values over the defaults: what the form's recipe buttons fill in. A run's configuration
 * records every resolved value, never the recipe's name alone. The grid type stays as the user chose it, so a
 * recipe serves 2D and 3D grids alike.
 */
public enum Recipe implements Choice {
    PUBLISHED(new Text("published", "Published recipe", "Exactly the recipe of the write-up's code (Fischer 2021):"
            + " the defaults, with pixels normalised to [-1, 1] as that code did."),
            Map.of("normalization", Normalization.HALF)),
    FAST(new Text("fast", "Fast recipe", "64x64 in about 95 s on 2 cores, 88.4 % mean over 3 seeds (BENCHMARKS.md):"
            + " one-cycle at 1e-3 over 60 epochs, horizontal flips, weight decay 0.3, the best epoch chosen on 5,000"
            + " held-out images."),
            Map.of("epochs", 60, "lr", 1e-3, "schedule", Schedule.ONECYCLE, "augment", Augment.HFLIP,
                    "weightDecay", 0.3, "validation", 5000)),
    QUICK_LOOK(new Text("quick-look", "Quick look", "A small grid on the synthetic set that trains in seconds."),
            Map.of("height", 32, "width", 16, "layers", 8, "batch", 64, "lr", 1e-3, "epochs", 5,
                    "dataset", DatasetKind.SYNTHETIC, "samples", 2048, "testSamples", 512, "checkpointEvery", 0));

    private final Text text;
    private final Map<String, Object> settings;

    Recipe(Text text, Map<String, Object> settings) {
        this.text = text;
        this.settings = settings;
    }

    @Override
    public Text text() {
        return text;
    }

    /** The recipe whose id is {@code text}, or an IllegalArgumentException naming the recipes. */
    public static Recipe parse(String text) {
        return Choice.require(Recipe.class, text);
    }

    /** The fields this recipe sets, beside the defaults. */
    public Map<String, Object> settings() {
        return settings;
    }

    /** This recipe's fields over the defaults; the grid type stays as in {@code base}. */
    public RunConfig over(RunConfig base) {
        Map<String, Object> kept = new java.util.LinkedHashMap<>();
        KEEPS.forEach(field -> kept.put(field, base.get(field)));
        return RunConfig.defaults().with(settings).with(kept);
    }

    /** The fields a recipe leaves as the user set them. */
    public static final List<String> KEEPS = List.of("gridType");

    /** {"id", "label", "help", "values": {field: JSON value}, "keeps": [field]}, as the form reads it. */
    public ObjectNode describe() {
        ObjectNode d = JsonNodeFactory.instance.objectNode().put("id", id()).put("label", label())
                .put("help", help());
        ObjectNode v = d.putObject("values");
        settings.forEach((name, value) -> v.set(name, RunConfig.field(name).orElseThrow().write(value)));
        KEEPS.forEach(d.putArray("keeps")::add);
        return d;
    }
}
