package org.neuralgrid.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.neuralgrid.engine.LearningRate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The run configuration's fields, each described once in {@link RunConfig#FIELDS}: the descriptors match the
 * record, the defaults are the published recipe, JSON round-trips, and every limit a descriptor states is
 * enforced where the field applies. The limit and type tests read the descriptors, so a new field is covered
 * without a new test.
 */
class RunConfigFieldsTest {
    static final RunConfig TWO_D = RunConfig.defaults();
    static final RunConfig THREE_D = RunConfig.defaults().as3d(8);

    @Test
    void everyRecordComponentHasExactlyOneDescriptorAndEveryDescriptorAComponent() {
        List<String> described = RunConfig.FIELDS.stream().map(ConfigField::name).toList();
        assertEquals(described.size(), Set.copyOf(described).size(), "a field described twice: " + described);
        RecordComponent[] components = RunConfig.class.getRecordComponents();
        assertEquals(Arrays.stream(components).map(RecordComponent::getName).collect(Collectors.toSet()),
                Set.copyOf(described));
        for (RecordComponent c : components) {
            ConfigField f = RunConfig.field(c.getName()).orElseThrow();
            ConfigField.Kind kind = c.getType() == int.class || c.getType() == long.class ? ConfigField.Kind.INTEGER
                    : c.getType() == double.class ? ConfigField.Kind.NUMBER
                    : c.getType() == BackendSpec.class ? ConfigField.Kind.BACKEND : ConfigField.Kind.CHOICE;
            assertEquals(kind, f.kind(), c.getName() + " of type " + c.getType().getSimpleName());
            assertTrue(kind != ConfigField.Kind.CHOICE || c.getType().isEnum() && Choice.class.isAssignableFrom(
                    c.getType()), c.getName() + ": a choice is an enum of Choice constants");
        }
    }

    @Test
    void theDefaultsAreThePublishedRecipe() {
        RunConfig c = RunConfig.defaults();
        assertEquals(GridType.TWO_D, c.gridType());
        assertEquals("64x64", c.gridText());
        assertEquals(Activation.SIN, c.activation());
        assertEquals(3, c.kernel());
        assertEquals(256, c.batch());
        assertEquals(1e-4, c.lr());
        assertEquals(100, c.lrStep());
        assertEquals(0.1, c.lrGamma());
        LearningRate rate = new LearningRate(c, 234);
        assertEquals(1e-4, rate.at(100, 233), 1e-15);
        assertEquals(1e-5, rate.at(101, 0), 1e-15);
        assertEquals(1e-6, rate.endOf(300), 1e-15);
        assertEquals(300, c.epochs());
        assertEquals(42, c.seed());
        assertEquals(DatasetKind.FASHION_MNIST, c.dataset());
        assertEquals(BackendSpec.AUTO, c.backend());
        assertEquals(List.of(), c.errors(RunConfig.defaultMemoryBudget()));
        for (ConfigField f : RunConfig.FIELDS) {
            assertEquals(f.text(f.defaultValue()), f.text(c.get(f.name())), f.name() + " is its descriptor's default");
        }
    }

    // ---- JSON

    /** Every choice, every limit and a middle value of every field, one at a time on a 2D and a 3D grid. */
    static Stream<Named<RunConfig>> variedConfigurations() {
        List<Named<RunConfig>> list = new ArrayList<>();
        for (RunConfig base : List.of(TWO_D, THREE_D.with("dataset", DatasetKind.SYNTHETIC))) {
            for (ConfigField f : RunConfig.FIELDS) {
                for (Object v : trialValues(f)) {
                    list.add(Named.of(f.name() + "=" + f.text(v) + " over " + base.gridText(), base.with(f.name(), v)));
                }
            }
        }
        for (int i = 0; i < 8; i++) {   // every field changed at once
            int pick = i;
            RunConfig c = TWO_D.with(RunConfig.FIELDS.stream().collect(Collectors.toMap(ConfigField::name, f -> {
                List<Object> values = trialValues(f);
                return values.get(pick % values.size());
            })));
            list.add(Named.of("every field changed, mix " + i + " (" + c.gridText() + ")", c));
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variedConfigurations")
    void jsonRoundTripsEveryConfiguration(RunConfig c) {
        assertEquals(c, RunConfigJson.read(RunConfigJson.write(c)));
    }

    /** Values of the wrong JSON type for a field of this kind, as JSON text. */
    static List<String> wrongJson(ConfigField f) {
        return switch (f.kind()) {
            case INTEGER -> {
                List<String> wrong = new ArrayList<>(List.of("{}", "[1]", "null", "true", "\"abc\"", "2.5",
                        "1e400", "123456789012345678901234567890"));
                if (RunConfig.defaults().get(f.name()) instanceof Integer) {   // a whole number beyond int
                    wrong.addAll(List.of("2147483648", "-2147483649", "\"3000000000\""));
                }
                yield wrong;
            }
            case NUMBER -> List.of("{}", "[1]", "null", "true", "\"abc\"", "\"\"");
            case CHOICE -> List.of("{}", "[\"" + f.text(f.defaultValue()) + "\"]", "null", "5", "\"no-such\"");
            case BACKEND -> List.of("{}", "null", "5", "\"cuda\"", "\"java:1\"");
        };
    }

    static Stream<Named<String[]>> wrongTypes() {
        return RunConfig.FIELDS.stream().flatMap(f -> wrongJson(f).stream()
                .map(json -> Named.of(f.name() + ": " + json, new String[] {f.name(), json})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongTypes")
    void aValueOfTheWrongJsonTypeIsRefusedNamingTheField(String[] fieldAndJson) {
        String field = fieldAndJson[0];
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> RunConfigJson.read("{\"" + field + "\": " + fieldAndJson[1] + "}"));
        assertEquals(List.of(field), fieldsOf(e.errors()), e.getMessage());
    }

    @Test
    void anUnknownFieldIsRefusedNamingIt() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> RunConfigJson.read("{\"colour\": \"red\", \"batch\": 32}"));
        assertEquals(List.of("colour"), fieldsOf(e.errors()));
        assertTrue(e.getMessage().contains("colour"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "42", "\"text\"", "null", "{\"batch\": ", ""})
    void aBodyThatIsNoJsonObjectIsRefused(String body) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> RunConfigJson.read(body));
        assertEquals(List.of("body"), fieldsOf(e.errors()));
    }

    @Test
    void severalBadFieldsAreReportedTogether() {
        InvalidConfigException json = assertThrows(InvalidConfigException.class, () -> RunConfigJson.read(
                "{\"height\": 0, \"kernel\": 4, \"lr\": \"fast\", \"colour\": 1, \"backend\": \"cuda\"}"));
        assertEquals(Set.of("height", "kernel", "lr", "colour", "backend"), Set.copyOf(fieldsOf(json.errors())));

        RunConfig bad = ConfigBuilder.grid(0, 5000).kernel(4).lr(-1).epochs(0).build();
        InvalidConfigException limits = assertThrows(InvalidConfigException.class, () -> bad.validated(Long.MAX_VALUE));
        assertEquals(Set.of("height", "width", "kernel", "lr", "epochs"), Set.copyOf(fieldsOf(limits.errors())));
        for (String field : List.of("height", "width", "kernel", "lr", "epochs")) {
            assertTrue(limits.getMessage().contains(field + ": "), limits.getMessage());
        }
    }

    // ---- limits

    /** The fields whose descriptor states limits (what the form and the README show as min and max). */
    static Stream<ConfigField> limitedFields() {
        return RunConfig.FIELDS.stream().filter(f -> f.describe().has("min"));
    }

    @Test
    void everyNumberButTheSeedHasLimits() {
        Set<String> limited = limitedFields().map(ConfigField::name).collect(Collectors.toSet());
        for (ConfigField f : RunConfig.FIELDS) {
            boolean numeric = f.kind() == ConfigField.Kind.INTEGER || f.kind() == ConfigField.Kind.NUMBER;
            assertEquals(numeric && !f.name().equals("seed"), limited.contains(f.name()), f.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limitedFields")
    void theLimitsOfAFieldAreItsBoundsAndJustOutsideIsRefusedNamingIt(ConfigField f) {
        RunConfig base = whereItApplies(f);
        Limits l = Limits.of(f);
        for (Object ok : l.accepted()) {
            List<FieldError> errors = base.with(f.name(), ok).errors(Long.MAX_VALUE);
            assertFalse(fieldsOf(errors).contains(f.name()), f.name() + " = " + ok + " is allowed: " + errors);
        }
        for (Object bad : l.refused()) {
            List<FieldError> errors = base.with(f.name(), bad).errors(Long.MAX_VALUE);
            assertTrue(fieldsOf(errors).contains(f.name()), f.name() + " = " + bad + " is refused: " + errors);
        }
    }

    static Stream<ConfigField> conditionalFields() {
        return limitedFields().filter(f -> !f.appliesWhen().isEmpty());
    }

    /** Height 0 on a 3D grid, samples 0 on Fashion-MNIST, layers 0 on a 2D grid: they mean nothing there. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("conditionalFields")
    void aFieldThatDoesNotApplyIsNotValidated(ConfigField f) {
        RunConfig base = whereItDoesNotApply(f);
        assertFalse(base.applies(f));
        for (Object bad : Limits.of(f).refused()) {
            RunConfig c = base.with(f.name(), bad);
            assertEquals(List.of(), c.errors(Long.MAX_VALUE), f.name() + " = " + bad + " where it does not apply");
        }
    }

    @Test
    void theExamplesOfFieldsThatDoNotApply() {
        assertEquals(List.of(), THREE_D.with("height", 0).errors(Long.MAX_VALUE));
        assertEquals(List.of(), TWO_D.with(Map.of("samples", 0, "testSamples", 0)).errors(Long.MAX_VALUE));
        assertEquals(List.of("height"), fieldsOf(TWO_D.with("height", 0).errors(Long.MAX_VALUE)));
    }

    @Test
    void theMemoryBudgetRuleNamesTheHeightOfA2dGridAndTheLayersOfA3dGrid() {
        for (RunConfig c : List.of(TWO_D, THREE_D)) {
            String field = c.is3d() ? "layers" : "height";
            List<FieldError> over = c.errors(c.estimatedBytes() - 1);
            assertEquals(List.of(field), fieldsOf(over));
            assertTrue(over.get(0).message().contains("MiB"), over.get(0).message());
            assertEquals(List.of(), c.errors(c.estimatedBytes()), "a budget of exactly what it needs");
        }
    }

    // ---- backend specs and recipes

    @ParameterizedTest
    @ValueSource(strings = {"auto", "java", "opencl", "opencl:0", "opencl:999", " OpenCL:7 ", "JAVA", "\tauto\n"})
    void aBackendSpecIsAutoJavaOpenClOrOpenClN(String text) {
        BackendSpec spec = BackendSpec.parse(text);
        assertEquals(text.strip().toLowerCase(java.util.Locale.ROOT), spec.toString());
        assertEquals(spec, BackendSpec.parse(spec.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"java:1", "auto:0", "opencl:1000", "opencl:", "opencl:-1", "opencl:x", "cuda", "", "  ",
        "opencl 1", "java,opencl"})
    void anyOtherBackendSpecIsRefusedNamingTheAllowedForms(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendSpec.parse(text));
        assertTrue(e.getMessage().contains(BackendSpec.FORMS), e.getMessage());
    }

    @Test
    void aMissingBackendSpecIsRefusedToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendSpec.parse(null));
        assertTrue(e.getMessage().contains(BackendSpec.FORMS), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Recipe.class)
    void aRecipeGivesAValidConfigurationAndKeepsTheGridType(Recipe r) {
        for (RunConfig base : List.of(TWO_D, THREE_D, ConfigBuilder.sheets(3).build())) {
            RunConfig c = r.over(base);
            assertEquals(base.gridType(), c.gridType());
            assertEquals(List.of(), c.errors(RunConfig.defaultMemoryBudget()), r.id() + " over " + base.gridText());
            r.settings().forEach((name, value) -> {
                ConfigField f = RunConfig.field(name).orElseThrow();
                assertEquals(f.text(value), f.text(c.get(name)), r.id() + " sets " + name);
            });
        }
    }

    // ---- helpers

    static List<String> fieldsOf(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).distinct().toList();
    }

    /** A field's value from its text, as the command line gives it. */
    static Object read(ConfigField f, String text) {
        List<FieldError> errors = new ArrayList<>();
        Object v = f.read(TextNode.valueOf(text), true, errors);
        assertEquals(List.of(), errors, f.name() + " = " + text);
        return v;
    }

    /**
     * The defaults with batch 1 (so that a small training set is not too small for it), and the fields this
     * one's descriptor depends on set so that it applies.
     */
    static RunConfig whereItApplies(ConfigField f) {
        // batch 1 and the longest run: the rules that tie fields together then allow every field its whole range
        RunConfig c = TWO_D.with(java.util.Map.of("batch", 1, "epochs", RunConfig.MAX_EPOCHS));
        for (ConfigField.Condition when : f.appliesWhen()) {
            c = c.with(when.field(), read(RunConfig.field(when.field()).orElseThrow(), when.value()));
        }
        assertTrue(c.applies(f), f.name());
        assertEquals(List.of(), c.errors(Long.MAX_VALUE), "the base for " + f.name());
        return c;
    }

    /** The same with one condition turned to another choice. */
    static RunConfig whereItDoesNotApply(ConfigField f) {
        ConfigField.Condition when = f.appliesWhen().get(0);
        ConfigField on = RunConfig.field(when.field()).orElseThrow();
        Object other = trialValues(on).stream().filter(v -> !on.text(v).equals(when.value())).findFirst()
                .orElseThrow();
        return whereItApplies(f).with(when.field(), other);
    }

    /** Values a field may be given: every choice, both limits and a value between, the default. */
    static List<Object> trialValues(ConfigField f) {
        return switch (f.kind()) {
            case CHOICE -> List.of(((Enum<?>) f.defaultValue()).getDeclaringClass().getEnumConstants());
            case BACKEND -> List.of(BackendSpec.AUTO, BackendSpec.JAVA, BackendSpec.OPENCL,
                    BackendSpec.device(BackendSpec.Kind.OPENCL, 0), BackendSpec.device(BackendSpec.Kind.OPENCL, 999));
            case INTEGER -> f.describe().has("min")
                    ? List.of(min(f).longValue(), max(f).longValue(), (min(f).longValue() + max(f).longValue()) / 2,
                            f.defaultValue())
                    : List.of(Long.MIN_VALUE, -1L, 0L, Long.MAX_VALUE, f.defaultValue());
            case NUMBER -> List.of(Math.nextUp(min(f).doubleValue()), max(f).doubleValue(), max(f).doubleValue() / 3,
                    f.defaultValue());
        };
    }

    static Number min(ConfigField f) {
        return f.describe().get("min").numberValue();
    }

    static Number max(ConfigField f) {
        return f.describe().get("max").numberValue();
    }

    /** What a descriptor's limits allow at their edges, and what they refuse just outside. */
    record Limits(List<Object> accepted, List<Object> refused) {
        static Limits of(ConfigField f) {
            JsonNode d = f.describe();
            if (f.kind() == ConfigField.Kind.INTEGER) {
                long min = min(f).longValue(), max = max(f).longValue();
                if (d.get("odd").asBoolean()) {
                    long lo = min % 2 == 0 ? min + 1 : min, hi = max % 2 == 0 ? max - 1 : max;
                    return new Limits(List.of(lo, hi), List.of(lo - 2, hi + 2, lo + 1, hi - 1));
                }
                return new Limits(List.of(min, max), List.of(min - 1, max + 1));
            }
            double min = min(f).doubleValue(), max = max(f).doubleValue();
            boolean open = d.get("minOpen").asBoolean();
            return new Limits(List.of(open ? Math.nextUp(min) : min, max),
                    List.of(open ? min : Math.nextDown(min), Math.nextUp(max), Double.NaN));
        }
    }
}
