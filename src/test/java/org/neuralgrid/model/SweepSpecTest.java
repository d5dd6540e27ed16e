package org.neuralgrid.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sweeps: grid and random points, the seeds of each point, values read by each field's descriptor, a sweep refused
 * whole for any invalid point, the limits, and the JSON form.
 */
class SweepSpecTest {
    /** A small synthetic run, as the command line's test sweeps use. */
    static final RunConfig BASE = RunConfig.defaults().with(Map.of("dataset", DatasetKind.SYNTHETIC, "samples", 256,
            "testSamples", 64, "height", 8, "width", 4, "batch", 64, "epochs", 2));

    /** The axes the command line's options would give: "3,5,7" or "1e-4..1e-2", by field. */
    static List<SweepSpec.Axis> axes(String... fieldsAndTexts) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndTexts.length; i += 2) {
            texts.put(fieldsAndTexts[i], fieldsAndTexts[i + 1]);
        }
        return SweepSpecJson.axesFromText(texts);
    }

    static String refusal(SweepSpec s) {
        return assertThrows(InvalidConfigException.class, s::validated).getMessage();
    }

    @Test
    void aGridRunsEveryCombinationInFieldOrderWithTheLastFieldFastest() {
        SweepSpec s = SweepSpec.grid("g", BASE, axes("gain", "0.5,1,1.41", "kernel", "3,5", "activation", "sin,tanh"),
                1).validated();
        assertEquals(List.of("kernel", "activation", "gain"), s.sweptFields(), "the order of RunConfig.FIELDS");
        List<String> labels = s.points().stream().map(SweepSpec.Point::label).toList();
        assertEquals(12, labels.size());
        assertEquals(12, s.pointCount());
        assertEquals(List.of("kernel=3, activation=sin, gain=0.5", "kernel=3, activation=sin, gain=1",
                "kernel=3, activation=sin, gain=1.41", "kernel=3, activation=tanh, gain=0.5"), labels.subList(0, 4));
        assertEquals("kernel=5, activation=tanh, gain=1.41", labels.get(11));
        assertEquals(12, Set.copyOf(labels).size());
    }

    @Test
    void eachPointRunsWithTheBaseSeedAndTheNextOnesInAStableOrder() {
        SweepSpec s = SweepSpec.grid("g", BASE.with("seed", 7L), axes("kernel", "3,5"), 3).validated();
        List<SweepSpec.Run> runs = s.runs();
        assertEquals(6, runs.size());
        assertEquals(6, s.runCount());
        assertEquals(List.of("kernel=3-seed7", "kernel=3-seed8", "kernel=3-seed9", "kernel=5-seed7", "kernel=5-seed8",
                "kernel=5-seed9"), runs.stream().map(SweepSpec.Run::folder).toList());
        for (SweepSpec.Run r : runs) {
            assertEquals(r.seed(), r.config().seed());
            assertEquals(BASE.with(Map.of("seed", r.seed(), "kernel", r.point().values().get("kernel"))), r.config());
        }
        assertEquals(runs, s.runs(), "the same runs every time");
    }

    @Test
    void aSweepWithoutSweptFieldsRunsTheBaseWithEachSeed() {
        SweepSpec s = SweepSpec.grid("seeds", BASE, List.of(), 4).validated();
        assertEquals(List.of("base"), s.points().stream().map(SweepSpec.Point::label).toList());
        assertEquals(List.of(42L, 43L, 44L, 45L), s.runs().stream().map(SweepSpec.Run::seed).toList());
    }

    @Test
    void valuesAreReadByEachFieldsOwnDescriptor() {
        SweepSpec s = SweepSpec.grid("g", BASE, axes("height", "32,64,128", "gain", "0.5,1,1.41", "activation",
                "sin,TANH", "augment", "none,hflip"), 1).validated();
        Map<String, List<Object>> values = s.axes().stream().collect(Collectors.toMap(a -> a.field().name(),
                a -> ((SweepSpec.Values) a).values()));
        assertEquals(List.of(32L, 64L, 128L), values.get("height"));
        assertEquals(List.of(0.5, 1.0, 1.41), values.get("gain"));
        assertEquals(List.of(Activation.SIN, Activation.TANH), values.get("activation"));
        assertEquals(List.of(Augment.NONE, Augment.HFLIP), values.get("augment"));
        assertEquals(128, s.runs().get(s.runs().size() - 1).config().height());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "kernel | 3,4 | kernel: must be odd and at least 3, got 4",
        "kernel | 3,three | kernel: must be a whole number, got \"three\"",
        "gain | 0.5,-1 | gain: must be a number in (0, 100], got -1.0",
        "activation | sin,swish | activation: must be one of sin, tanh, relu",
        "height | 32,0 | height: must be between 1 and 4096, got 0",
        "lr | 1e-4..x | lr: must be a number, got \"x\""})
    void aBadValueIsRefusedNamingFieldAndValue(String field, String text, String message) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> SweepSpec.grid("g", BASE, axes(field, text), 1).validated());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.errors().stream().allMatch(x -> x.field().equals(field)), e.errors().toString());
    }

    @Test
    void oneInvalidPointRefusesTheWholeSweepAndNamesThePoint() {
        SweepSpec s = SweepSpec.grid("g", BASE, axes("height", "4,32", "kernel", "3,9"), 2);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, s::validated);
        assertEquals(List.of(new FieldError("kernel", "must be at most 7 for a layer of 4 cells, got 9"
                + " (point height=4, kernel=9)")), e.errors());
        assertTrue(e.getMessage().startsWith("invalid sweep: kernel: must be at most 7"), e.getMessage());
    }

    @Test
    void anErrorEveryPointSharesIsNamedOnceAndManyInvalidPointsAreCounted() {
        SweepSpec batch = SweepSpec.grid("g", BASE.with("batch", 512), axes("kernel", "3,5,7"), 1);
        assertEquals(List.of(new FieldError("batch", "is larger than the 256 training samples")),
                batch.errors(Long.MAX_VALUE));

        String many = IntStream.rangeClosed(0, 15).mapToObj(i -> String.valueOf(17 + 2 * i))
                .collect(Collectors.joining(","));
        List<FieldError> e = SweepSpec.grid("g", BASE, axes("kernel", "3," + many), 1).errors(Long.MAX_VALUE);
        assertEquals(SweepSpec.MAX_POINTS_NAMED + 1, e.size(), e.toString());
        assertEquals(new FieldError("points", "and 6 more invalid points"), e.get(e.size() - 1));
    }

    @Test
    void aSweptFieldMustMeanSomethingAtEveryPoint() {
        SweepSpec s = SweepSpec.grid("g", RunConfig.defaults(), axes("samples", "100,200"), 1);
        assertEquals(List.of(new FieldError("samples", "does not apply (dataset synthetic only)")),
                s.errors(Long.MAX_VALUE));
    }

    @Test
    void randomModeIsReproducibleDistinctAndWithinItsRanges() {
        List<SweepSpec.Axis> axes = axes("lr", "1e-4..1e-2", "gain", "0.5..2", "kernel", "3..9", "activation",
                "sin,tanh");
        SweepSpec s = SweepSpec.random("r", BASE.with("height", 64), axes, 2, 50).validated();
        List<SweepSpec.Point> points = s.points();
        assertEquals(50, points.size());
        assertEquals(50, Set.copyOf(points).size(), "distinct points");
        assertEquals(points, SweepSpec.random("r", BASE.with("height", 64), axes, 2, 50).points(), "reproducible");
        assertFalse(points.equals(SweepSpec.random("r", BASE.with(Map.of("height", 64, "seed", 7L)), axes, 2, 50)
                .points()), "seeded by the base seed");
        Set<Long> kernels = new java.util.TreeSet<>();
        for (SweepSpec.Point p : points) {
            double lr = (Double) p.values().get("lr"), gain = (Double) p.values().get("gain");
            long kernel = (Long) p.values().get("kernel");
            assertTrue(lr >= 1e-4 && lr <= 1e-2, "lr " + lr);
            assertTrue(gain >= 0.5 && gain <= 2, "gain " + gain);
            assertTrue(kernel >= 3 && kernel <= 9 && kernel % 2 == 1, "kernel stays odd: " + kernel);
            kernels.add(kernel);
            assertEquals(lr, Double.parseDouble(String.format(java.util.Locale.ROOT, "%.2e", lr)), "3 digits: " + lr);
        }
        assertEquals(Set.of(3L, 5L, 7L, 9L), kernels, "both ends are drawn");
        assertEquals(100, s.runs().size());
    }

    @Test
    void theLearningRateIsDrawnEvenlyInTheLogarithmAndTheGainEvenly() {
        SweepSpec s = SweepSpec.random("r", BASE, axes("lr", "1e-4..1e-2", "gain", "0.5..1.5"), 1, 1000)
                .validated();
        double lrBelowGeometricMiddle = s.points().stream().filter(p -> (Double) p.values().get("lr") < 1e-3).count()
                / 1000.0;
        double gainBelowMiddle = s.points().stream().filter(p -> (Double) p.values().get("gain") < 1).count() / 1000.0;
        assertEquals(0.5, lrBelowGeometricMiddle, 0.06, "log-uniform: half below 1e-3 (uniform would give 9 %)");
        assertEquals(0.5, gainBelowMiddle, 0.06);
        assertTrue(RunConfig.field("lr").orElseThrow().logScale());
        assertTrue(RunConfig.field("weightDecay").orElseThrow().logScale());
        assertFalse(RunConfig.field("gain").orElseThrow().logScale());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "seed | 1,2 | grid | 1 | 0 | seed: cannot be swept: it is varied by seeds",
        "backend | java,auto | grid | 1 | 0 | backend: cannot be swept",
        "threads | 1,2 | grid | 1 | 0 | threads: cannot be swept",
        "kernel | 3,5 | grid | 0 | 0 | seeds: must be between 1 and 100, got 0",
        "kernel | 3,5 | grid | 101 | 0 | seeds: must be between 1 and 100, got 101",
        "kernel | 3,5 | grid | 501 | 0 | seeds: must be between 1 and 100",
        "kernel | 3,5 | random | 1 | 0 | points: must be between 1 and 1000, got 0",
        "kernel | 3,5 | random | 1 | 1001 | points: must be between 1 and 1000, got 1001",
        "kernel | 3,5 | random | 1 | 3 | points: the swept values hold only 2 different points, fewer than the 3",
        "kernel | 3..5 | random | 1 | 3 | points: the swept values hold only 2 different points",
        "kernel | 3,5 | random | 100 | 11 | sweep: 11 points x 100 seeds make more than 1000 runs",
        "lr | 1e-4..1e-2 | grid | 1 | 0 | lr: is a range (0.0001..0.01): ranges are drawn from in random mode",
        "weightDecay | 0..0.1 | random | 1 | 5 | weightDecay: range 0..0.1 is drawn evenly in the logarithm",
        "gain | 2..1 | random | 1 | 5 | gain: range 2..1 must not end below its start",
        "activation | sin..tanh | random | 1 | 5 | activation: takes a list of values, not a range",
        "kernel | 3,5,3 | grid | 1 | 0 | kernel: lists 3 twice",
        "gain | 1,1.0 | grid | 1 | 0 | gain: lists 1 twice"})
    void theLimitsAreKept(String field, String text, String mode, int seeds, int points, String message) {
        String refusal = assertThrows(InvalidConfigException.class, () -> new SweepSpec("s", BASE, axes(field, text),
                seeds, Choice.require(SweepSpec.Mode.class, mode), points).validated()).getMessage();
        assertTrue(refusal.contains(message), refusal);
    }

    @Test
    void aGridOfMoreThanAThousandRunsIsRefusedBeforeItsPointsAreListed() {
        String thousand = IntStream.rangeClosed(1, 1000).mapToObj(String::valueOf).collect(Collectors.joining(","));
        SweepSpec s = SweepSpec.grid("big", BASE, axes("height", thousand, "width", thousand, "samples", thousand),
                1);
        assertEquals(1_000_000_000L, s.pointCount());
        assertTrue(refusal(s).contains("sweep: 1000000000 points x 1 seeds make more than 1000 runs"), refusal(s));
        assertThrows(InvalidConfigException.class, s::points);
        assertTrue(SweepSpec.grid("ok", BASE, axes("height", "8,16", "width", "2,4,8"), 100).validated().runCount()
                == 600);
    }

    @Test
    void aNameIsARunNameAndTheGridTakesNoPointCount() {
        assertTrue(refusal(SweepSpec.grid("x".repeat(201), BASE, List.of(), 1)).contains("name: must be at most 200"));
        assertTrue(refusal(new SweepSpec("s", BASE, axes("kernel", "3,5"), 1, SweepSpec.Mode.GRID, 4))
                .contains("points: are drawn in random mode only"));
        assertTrue(refusal(SweepSpec.random("s", BASE, List.of(), 1, 4)).contains("random mode needs at least one"));
        assertEquals("trimmed", SweepSpec.grid("  trimmed ", BASE, List.of(), 1).name());
    }

    @Test
    void jsonRoundTripsGridAndRandomSweeps() {
        SweepSpec grid = SweepSpec.grid("kernels", BASE.with("lr", 3e-3), axes("kernel", "3,5,7", "gain", "0.5,1",
                "activation", "sin,tanh"), 3).validated();
        SweepSpec random = SweepSpec.random("lrs", BASE, axes("lr", "1e-4..1e-2", "kernel", "3..7", "augment",
                "none,hflip"), 2, 6).validated();
        for (SweepSpec s : List.of(grid, random)) {
            SweepSpec back = SweepSpecJson.read(SweepSpecJson.write(s));
            assertEquals(s, back);
            assertEquals(s.runs(), back.runs());
        }
        assertFalse(SweepSpecJson.toTree(grid).has("points"), "a grid has no point count");
        assertEquals("0.0001..0.01", SweepSpecJson.toTree(random).at("/sweep/lr").asText());
        assertEquals(6, SweepSpecJson.toTree(random).get("points").asInt());
    }

    @Test
    void jsonReadsTheApisFormWithDefaults() {
        SweepSpec s = SweepSpecJson.read("{\"name\": \"k\", \"base\": {\"dataset\": \"synthetic\", \"samples\": 256,"
                + " \"testSamples\": 64, \"height\": 8, \"width\": 4, \"batch\": 64, \"epochs\": 2},"
                + " \"sweep\": {\"kernel\": [3, 5, 7], \"lr\": \"1e-4..1e-2\", \"gain\": [0.5, 1]},"
                + " \"mode\": \"random\", \"points\": 4}").validated();
        assertEquals(BASE, s.base());
        assertEquals(SweepSpec.Mode.RANDOM, s.mode());
        assertEquals(1, s.seeds(), "seeds default to 1");
        assertEquals(4, s.points().size());
        assertEquals(List.of(3L, 5L, 7L), ((SweepSpec.Values) s.axes().get(0)).values());
        assertEquals(new SweepSpec.Range(RunConfig.field("lr").orElseThrow(), 1e-4, 1e-2), s.axes().get(2));
        SweepSpec plain = SweepSpecJson.read("{}");
        assertEquals(SweepSpec.grid("", RunConfig.defaults(), List.of(), 1), plain);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"sweep\": {\"kernel\": [\"3\", 5]}} | kernel: must be a whole number, got \"3\"",
        "{\"sweep\": {\"gain\": [\"0.5\"]}} | gain: must be a number, got \"0.5\"",
        "{\"sweep\": {\"kernel\": [3.5]}} | kernel: must be a whole number, got 3.5",
        "{\"sweep\": {\"kernel\": 5}} | kernel: must be a list of values or a range \"lo..hi\", got 5",
        "{\"sweep\": {\"kernel\": [[3]]}} | kernel: must list numbers or strings, got [3]",
        "{\"sweep\": {\"colour\": [1]}} | colour: is not a configuration field",
        "{\"sweep\": [1]} | sweep: must be an object",
        "{\"seeds\": \"3\"} | seeds: must be a whole number, got \"3\"",
        "{\"seeds\": 2.5} | seeds: must be a whole number, got 2.5",
        "{\"points\": 1e40} | points: must be a whole number",
        "{\"mode\": \"grd\"} | mode: must be one of grid, random, got \"grd\"",
        "{\"name\": 7} | name: must be a string, got 7",
        "{\"base\": {\"lr\": \"fast\"}} | base.lr: must be a number, got \"fast\"",
        "{\"runs\": 3} | runs: is not a sweep key",
        "[1] | body: must be a JSON object",
        "{\"name\": | body: is not valid JSON"})
    void jsonTypesAreStrict(String json, String message) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> SweepSpecJson.read(json));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void everyErrorOfABodyIsNamedInOneAnswer() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> SweepSpecJson.read(
                "{\"seeds\": \"3\", \"sweep\": {\"kernel\": [\"3\"]}, \"mode\": 1}"));
        List<String> fields = new ArrayList<>(e.errors().stream().map(FieldError::field).toList());
        assertEquals(List.of("kernel", "seeds", "mode"), fields);
    }
}
