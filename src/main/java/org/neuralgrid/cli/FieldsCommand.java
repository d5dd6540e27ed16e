package org.neuralgrid.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.neuralgrid.model.ConfigField;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "fields", mixinStandardHelpOptions = true,
        description = {"List the run configuration's fields: the same names, defaults and limits for the command",
                "line, the API and the form. Markdown (README.md's table) or, with --json, the descriptors."})
final class FieldsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "the descriptors as the dashboard's form reads them")
    boolean json;

    @Override
    public Integer call() {
        System.out.print(json ? RunConfigJson.describeFields().toPrettyString() + "\n" : markdown());
        return 0;
    }

    /** The table README.md shows under "Configuration fields"; a test keeps the two equal. */
    static String markdown() {
        StringBuilder t = new StringBuilder("| field | option | default | allowed | meaning |\n|---|---|---|---|---|\n");
        for (ConfigField f : RunConfig.FIELDS) {
            t.append("| `").append(f.name()).append("` | `").append(f.option()).append("` | `")
                    .append(f.text(f.defaultValue())).append("` | ").append(allowed(f)).append(" | ")
                    .append(f.help()).append(applies(f)).append(" |\n");
        }
        return t.toString();
    }

    private static String allowed(ConfigField f) {
        if (f.kind() == ConfigField.Kind.CHOICE) {
            List<String> ids = f.describe().path("choices").findValuesAsText("id");
            return ids.stream().map(id -> "`" + id + "`").collect(Collectors.joining(", "));
        }
        if (f.kind() == ConfigField.Kind.BACKEND) {
            return "`auto`, `java`, `opencl[:N]`";
        }
        String limits = f.limitsText();
        return (limits.isEmpty() ? "any whole number" : limits) + (f.unit().isEmpty() ? "" : " " + f.unit())
                + (f.zeroMeans() == null ? "" : "; 0: " + f.zeroMeans());
    }

    private static String applies(ConfigField f) {
        return f.appliesWhen().stream().map(c -> " (" + c.field() + " " + c.value() + " only)")
                .collect(Collectors.joining());
    }
}
