package org.neuralgrid.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.neuralgrid.model.ConfigField;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The run configuration's fields as command-line options, made from {@link RunConfig#FIELDS}: lrStep is
 * {@code --lr-step}, with the field's help, limits and default. A command names the fields it leaves out and the
 * defaults it changes; its values are read back as text and parsed as the API parses JSON, so the command line
 * takes and refuses what the API and the form do.
 */
class ConfigOptions implements CommandLine.IModelTransformer {
    private final RunConfig base;
    private final Set<String> without;

    /** Every field, with the published defaults. */
    ConfigOptions() {
        this(RunConfig.defaults(), Set.of());
    }

    /** Options for the fields but {@code without}, with the values of {@code base} as their defaults. */
    ConfigOptions(RunConfig base, Set<String> without) {
        this.base = base;
        this.without = without;
    }

    @Override
    public CommandSpec transform(CommandSpec spec) {
        for (ConfigField f : RunConfig.FIELDS) {
            if (without.contains(f.name())) {
                continue;
            }
            Object value = base.get(f.name());
            spec.addOption(OptionSpec.builder(f.option())
                    .type(String.class)
                    .paramLabel(f.kind() == ConfigField.Kind.CHOICE || f.kind() == ConfigField.Kind.BACKEND
                            ? "ID" : f.kind() == ConfigField.Kind.NUMBER ? "X" : "N")
                    .defaultValue(f.text(value))
                    .description(description(f))
                    .build());
        }
        return spec;
    }

    /** "Cells per layer. 1–4096 cells; 2d only (default: 64)". */
    static String description(ConfigField f) {
        StringBuilder d = new StringBuilder(f.help());
        String limits = f.limitsText();
        String choices = f.describe().path("choices").findValuesAsText("id").toString();
        if (!limits.isEmpty()) {
            d.append(' ').append(limits).append(f.unit().isEmpty() ? "" : " " + f.unit());
        } else if (f.kind() == ConfigField.Kind.CHOICE) {
            d.append(" One of ").append(choices.substring(1, choices.length() - 1)).append('.');
        }
        if (f.zeroMeans() != null) {
            d.append("; 0: ").append(f.zeroMeans());
        }
        f.appliesWhen().forEach(c -> d.append("; ").append(c.value()).append(" only"));
        return d.append(" (default: ${DEFAULT-VALUE})").toString();
    }

    /**
     * The configuration the options given on a parsed command line make of {@code base} (the command's defaults,
     * or a recipe's values), not yet validated. {@code shorthand} may add values (a command's shorthand such as
     * --grid), which explicit options override.
     */
    static RunConfig read(CommandSpec spec, RunConfig base, Map<String, String> shorthand) {
        Map<String, String> texts = new LinkedHashMap<>(shorthand);
        texts.putAll(given(spec));
        return RunConfigJson.fromText(base, texts);
    }

    /** The fields' options given on a parsed command line, as text by field name, in the order of the fields. */
    static Map<String, String> given(CommandSpec spec) {
        Map<String, String> texts = new LinkedHashMap<>();
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        for (ConfigField f : RunConfig.FIELDS) {
            OptionSpec option = spec.findOption(f.option());
            if (option != null && parsed != null && parsed.hasMatchedOption(f.option())) {
                texts.put(f.name(), option.getValue());
            }
        }
        return texts;
    }
}
