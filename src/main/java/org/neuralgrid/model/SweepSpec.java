package org.neuralgrid.model;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.neuralgrid.bus.RunName;

/**
 * A sweep: a base configuration and, per swept field, the values to try, each point run with several seeds (the
 * base seed, + 1, ...). Grid mode runs every combination of the listed values; random mode draws a number of
 * distinct points from lists and from ranges lo..hi, seeded by the base seed so that the same sweep always gives
 * the same points: evenly in the logarithm for a field whose descriptor says {@link ConfigField#logScale()}, evenly
 * otherwise; whole numbers stay whole (odd ones odd), other numbers are rounded to three significant digits so that
 * a point reads well. Values are read and checked by each field's own descriptor, and a sweep with any point that
 * is not a valid run is refused whole: better no sweep than one that fails at its 37th run. The command line's
 * {@code sweep} and the API use this one record; {@link SweepSpecJson} is its JSON.
 *
 * @param name         what the sweep is called; blank: whoever keeps it names it
 * @param base         the configuration every point changes; its seed is the first seed of every point
 * @param axes         the swept fields and their values, kept in the order of {@link RunConfig#FIELDS}
 * @param seeds        runs per point, with seeds base.seed(), base.seed() + 1, ...
 * @param mode         grid or random
 * @param randomPoints random mode: the number of points to draw; 0 in grid mode
 */
public record SweepSpec(String name, RunConfig base, List<Axis> axes, int seeds, Mode mode, int randomPoints) {
    public static final int MAX_RUNS = 1000;
    public static final int MAX_SEEDS = 100;
    /** A refusal names this many invalid points and counts the rest. */
    public static final int MAX_POINTS_NAMED = 10;
    /** Fields a sweep may not vary, and why. */
    public static final Map<String, String> NOT_SWEPT = Map.of(
            "seed", "is varied by seeds: each point runs with the seeds seed, seed + 1, ...",
            "backend", "says where the runs compute, not what they learn",
            "threads", "says where the runs compute, not what they learn");
    /** Random mode gives up looking for distinct points after this many draws per point asked for. */
    private static final int DRAWS_PER_POINT = 100;
    private static final MathContext DRAWN_DIGITS = new MathContext(3);

    /** How the points are chosen. */
    public enum Mode implements Choice {
        GRID(new Text("grid", "every combination", "Every combination of the listed values.")),
        RANDOM(new Text("random", "points drawn at random", "A number of points drawn from the lists and ranges."));

        private final Text text;

        Mode(Text text) {
            this.text = text;
        }

        @Override
        public Text text() {
            return text;
        }
    }

    /** One swept field and the values it takes. */
    public sealed interface Axis permits Values, Range {
        ConfigField field();

        /** The values as the command line writes them: "3,5,7" or "0.0001..0.01". */
        String text();

        /** Every broken rule, each naming the field. */
        List<FieldError> errors(Mode mode);

        /** A value for a random point. */
        Object draw(SplittableRandom rng);
    }

    /** Listed values, typed as {@link ConfigField#read} gives them. */
    public record Values(ConfigField field, List<Object> values) implements Axis {
        public Values {
            values = List.copyOf(values);
        }

        @Override
        public String text() {
            return values.stream().map(field::text).collect(Collectors.joining(","));
        }

        @Override
        public List<FieldError> errors(Mode mode) {
            List<FieldError> e = new ArrayList<>();
            if (values.isEmpty()) {
                e.add(new FieldError(field.name(), "needs at least one value to sweep"));
            } else if (values.size() > MAX_RUNS) {
                e.add(new FieldError(field.name(), "lists " + values.size() + " values, more than " + MAX_RUNS));
            }
            Set<Object> seen = new HashSet<>();
            for (Object v : values) {
                field.check(v, e);
                if (!seen.add(v)) {
                    e.add(new FieldError(field.name(), "lists " + field.text(v) + " twice"));
                }
            }
            return e;
        }

        @Override
        public Object draw(SplittableRandom rng) {
            return values.get(rng.nextInt(values.size()));
        }
    }

    /** A range lo..hi of a number field (ends included), drawn from in random mode. */
    public record Range(ConfigField field, Number lo, Number hi) implements Axis {
        public Range {
            Objects.requireNonNull(lo, "lo");
            Objects.requireNonNull(hi, "hi");
        }

        @Override
        public String text() {
            return field.text(lo) + ".." + field.text(hi);
        }

        @Override
        public List<FieldError> errors(Mode mode) {
            List<FieldError> e = new ArrayList<>();
            String name = field.name();
            if (field.kind() != ConfigField.Kind.INTEGER && field.kind() != ConfigField.Kind.NUMBER) {
                e.add(new FieldError(name, "takes a list of values, not a range (" + text() + ")"));
                return e;
            }
            if (mode == Mode.GRID) {
                e.add(new FieldError(name, "is a range (" + text() + "): ranges are drawn from in random mode;"
                        + " a grid takes a list such as 1,2,3"));
            }
            field.check(lo, e);
            field.check(hi, e);
            if (lo.doubleValue() > hi.doubleValue()) {
                e.add(new FieldError(name, "range " + text() + " must not end below its start"));
            } else if (field.logScale() && lo.doubleValue() <= 0) {
                e.add(new FieldError(name, "range " + text() + " is drawn evenly in the logarithm and must start"
                        + " above 0"));
            }
            return e;
        }

        @Override
        public Object draw(SplittableRandom rng) {
            if (field.kind() == ConfigField.Kind.INTEGER) {
                long step = field.odd() ? 2 : 1;
                long first = field.odd() && lo.longValue() % 2 == 0 ? lo.longValue() + 1 : lo.longValue();
                long count = (hi.longValue() - first) / step + 1;
                return first + step * rng.nextLong(count);
            }
            double a = lo.doubleValue(), b = hi.doubleValue(), u = rng.nextDouble();
            double v = field.logScale() ? a * Math.pow(b / a, u) : a + u * (b - a);
            double rounded = new BigDecimal(v).round(DRAWN_DIGITS).doubleValue();
            return Math.min(b, Math.max(a, rounded));
        }
    }

    /** One combination of swept values, by field name in the order of the axes. */
    public record Point(Map<String, Object> values) {
        public Point {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /** "kernel=3, gain=0.5" (the base itself when nothing is swept): how messages and listings name it. */
        public String label() {
            return values.isEmpty() ? "base" : texts(", ");
        }

        /** "kernel=3_gain=0.5": the label as a folder name's part, with only portable characters. */
        public String fileLabel() {
            return values.isEmpty() ? "base" : texts("_").replaceAll("[^A-Za-z0-9._=+-]", "_");
        }

        /** A swept value as text, as the command line writes it. */
        public String text(String field) {
            return RunConfig.field(field).orElseThrow().text(values.get(field));
        }

        private String texts(String separator) {
            return values.keySet().stream().map(f -> f + "=" + text(f)).collect(Collectors.joining(separator));
        }
    }

    /** One run of a sweep: a point with one of its seeds, and the configuration that makes. */
    public record Run(Point point, long seed, RunConfig config) {
        /** "kernel=3_gain=0.5-seed42": the run's folder in the sweep's folder, unique within the sweep. */
        public String folder() {
            return point.fileLabel() + "-seed" + seed;
        }
    }

    public SweepSpec {
        name = name == null ? "" : name.strip();
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(mode, "mode");
        axes = axes.stream().sorted(Comparator.comparingInt(a -> RunConfig.FIELDS.indexOf(a.field()))).toList();
    }

    /** Every combination of the lists, each run with {@code seeds} seeds. */
    public static SweepSpec grid(String name, RunConfig base, List<Axis> axes, int seeds) {
        return new SweepSpec(name, base, axes, seeds, Mode.GRID, 0);
    }

    /** {@code points} distinct points drawn from the lists and ranges, each run with {@code seeds} seeds. */
    public static SweepSpec random(String name, RunConfig base, List<Axis> axes, int seeds, int points) {
        return new SweepSpec(name, base, axes, seeds, Mode.RANDOM, points);
    }

    /** The swept fields' names, in order: the columns a sweep's summary adds. */
    public List<String> sweptFields() {
        return axes.stream().map(a -> a.field().name()).toList();
    }

    /** The number of points: the product of the lists' lengths in grid mode (Long.MAX_VALUE past it), else points. */
    public long pointCount() {
        if (mode == Mode.RANDOM) {
            return randomPoints;
        }
        long n = 1;
        for (Axis a : axes) {
            n = a instanceof Values v ? saturatingProduct(n, v.values().size()) : n;
        }
        return n;
    }

    public long runCount() {
        return saturatingProduct(pointCount(), seeds);
    }

    /**
     * Every point, in a stable order: grid mode counts through the lists like an odometer (the last field fastest);
     * random mode in the order drawn. Only for a sweep without errors of its own (the points of a refused one may be
     * too many to list).
     */
    public List<Point> points() {
        List<FieldError> own = ownErrors();
        if (!own.isEmpty()) {
            throw new InvalidConfigException("sweep", own);
        }
        return mode == Mode.GRID ? combinations() : drawn();
    }

    /** Every run: each point with each seed in turn (point 1 seed s, s + 1, ..., then point 2 ...). */
    public List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        for (Point p : points()) {
            RunConfig c = config(p);
            for (int i = 0; i < seeds; i++) {
                long seed = base.seed() + i;
                runs.add(new Run(p, seed, c.with("seed", seed)));
            }
        }
        return runs;
    }

    /** The base with a point's values: the configuration of the point's first seed. */
    public RunConfig config(Point p) {
        return base.with(p.values());
    }

    /**
     * Every broken rule, empty when the sweep is valid: its own (name, seeds, points, each swept field's values, the
     * number of runs), then each point's, judged as a run is. An error every point shares is named once; others name
     * their point ("kernel: must be at most 7 for a layer of 4 cells, got 9 (point kernel=9, height=4)").
     */
    public List<FieldError> errors(long memoryBudgetBytes) {
        List<FieldError> e = ownErrors();
        if (e.isEmpty()) {
            List<Point> found = points();
            if (mode == Mode.RANDOM && found.size() < randomPoints) {
                e.add(new FieldError("points", "the swept values hold only " + found.size()
                        + " different points, fewer than the " + randomPoints + " asked for"));
            }
            e.addAll(pointErrors(found, memoryBudgetBytes));
        }
        return e;
    }

    /** This sweep, or an {@link InvalidConfigException} naming every broken rule. */
    public SweepSpec validated(long memoryBudgetBytes) {
        List<FieldError> e = errors(memoryBudgetBytes);
        if (!e.isEmpty()) {
            throw new InvalidConfigException("sweep", e);
        }
        return this;
    }

    public SweepSpec validated() {
        return validated(RunConfig.defaultMemoryBudget());
    }

    /** The sweep's own rules: the name, seeds, mode and points, each axis, and the number of runs. */
    private List<FieldError> ownErrors() {
        List<FieldError> e = new ArrayList<>();
        String nameProblem = RunName.problem(name);
        if (nameProblem != null) {
            e.add(new FieldError("name", nameProblem));
        }
        if (seeds < 1 || seeds > MAX_SEEDS) {
            e.add(new FieldError("seeds", "must be between 1 and " + MAX_SEEDS + ", got " + seeds));
        } else if (base.seed() > Long.MAX_VALUE - (seeds - 1)) {
            e.add(new FieldError("seed", "leaves no room for " + seeds + " seeds after it"));
        }
        if (mode == Mode.RANDOM && (randomPoints < 1 || randomPoints > MAX_RUNS)) {
            e.add(new FieldError("points", "must be between 1 and " + MAX_RUNS + ", got " + randomPoints));
        } else if (mode == Mode.RANDOM && axes.isEmpty()) {
            e.add(new FieldError("sweep", "random mode needs at least one swept field to draw"));
        } else if (mode == Mode.GRID && randomPoints != 0) {
            e.add(new FieldError("points", "are drawn in random mode only; a grid runs every combination"));
        }
        Set<ConfigField> seen = new HashSet<>();
        for (Axis a : axes) {
            String reason = NOT_SWEPT.get(a.field().name());
            if (reason != null) {
                e.add(new FieldError(a.field().name(), "cannot be swept: it " + reason));
            } else if (!seen.add(a.field())) {
                e.add(new FieldError(a.field().name(), "is swept twice"));
            } else {
                e.addAll(a.errors(mode));
            }
        }
        if (e.isEmpty() && runCount() > MAX_RUNS) {
            e.add(new FieldError("sweep", (pointCount() == Long.MAX_VALUE ? "more than " + MAX_RUNS
                    : String.valueOf(pointCount())) + " points x " + seeds + " seeds make more than " + MAX_RUNS
                    + " runs"));
        }
        return e;
    }

    /** Each point's errors as a run's, plus a swept field that means nothing there; see {@link #errors}. */
    private List<FieldError> pointErrors(List<Point> points, long memoryBudgetBytes) {
        Map<Point, List<FieldError>> failed = new LinkedHashMap<>();
        for (Point p : points) {
            RunConfig c = config(p);
            List<FieldError> e = new ArrayList<>(c.errors(memoryBudgetBytes));
            for (Axis a : axes) {
                if (!c.applies(a.field())) {
                    e.add(new FieldError(a.field().name(), "does not apply" + a.field().appliesWhen().stream()
                            .map(w -> " (" + w.field() + " " + w.value() + " only)").collect(Collectors.joining())));
                }
            }
            if (!e.isEmpty()) {
                failed.put(p, e);
            }
        }
        List<FieldError> shared = failed.size() < points.size() || failed.isEmpty() ? List.of()
                : failed.values().iterator().next().stream()
                        .filter(x -> failed.values().stream().allMatch(l -> l.contains(x))).toList();
        List<FieldError> out = new ArrayList<>(shared);
        int named = 0;
        for (Map.Entry<Point, List<FieldError>> f : failed.entrySet()) {
            List<FieldError> own = f.getValue().stream().filter(x -> !shared.contains(x)).toList();
            if (!own.isEmpty() && named++ < MAX_POINTS_NAMED) {
                own.forEach(x -> out.add(new FieldError(x.field(), x.message() + " (point " + f.getKey().label()
                        + ")")));
            }
        }
        if (named > MAX_POINTS_NAMED) {
            out.add(new FieldError("points", "and " + (named - MAX_POINTS_NAMED) + " more invalid points"));
        }
        return out;
    }

    /** Grid mode's points: the lists' cartesian product, the first field slowest. */
    private List<Point> combinations() {
        List<Map<String, Object>> partial = List.of(Map.of());
        for (Axis a : axes) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> p : partial) {
                for (Object v : ((Values) a).values()) {
                    Map<String, Object> m = new LinkedHashMap<>(p);
                    m.put(a.field().name(), v);
                    next.add(m);
                }
            }
            partial = next;
        }
        return partial.stream().map(Point::new).toList();
    }

    /** Random mode's points: distinct ones, drawn with the base seed, fewer when the values hold fewer. */
    private List<Point> drawn() {
        SplittableRandom rng = new SplittableRandom(base.seed());
        Set<Point> found = new LinkedHashSet<>();
        for (long draws = 0; found.size() < randomPoints && draws < (long) randomPoints * DRAWS_PER_POINT; draws++) {
            Map<String, Object> values = new LinkedHashMap<>();
            axes.forEach(a -> values.put(a.field().name(), a.draw(rng)));
            found.add(new Point(values));
        }
        return List.copyOf(found);
    }

    private static long saturatingProduct(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
