package org.neuralgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.engine.MetricsCsv;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.ConfigField;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The configuration's fields on the command line: made from the descriptors, judged as the API judges them. */
class ConfigOptionsTest {

    private static CommandSpec spec(String command) {
        return Main.commandLine().getSubcommands().get(command).getCommandSpec();
    }

    @Test
    void trainHasAnOptionForEveryFieldWithTheFieldsDefaultAndHelp() {
        CommandSpec train = spec("train");
        for (ConfigField f : RunConfig.FIELDS) {
            OptionSpec option = train.findOption(f.option());
            assertNotNull(option, f.name() + " has no " + f.option());
            assertEquals(f.text(f.defaultValue()), option.defaultValue(), f.name());
            assertTrue(String.join(" ", option.description()).contains(f.help()), f.name());
        }
        assertEquals("--lr-step", RunConfig.field("lrStep").orElseThrow().option());
    }

    @Test
    void benchLeavesOutTheDatasetAndCheckpointsAndTrainsThreeSyntheticEpochs() {
        CommandSpec bench = spec("bench");
        assertNull(bench.findOption("--dataset"));
        assertNull(bench.findOption("--checkpoint-every"));
        assertEquals("3", bench.findOption("--epochs").defaultValue());
        assertEquals("1000", bench.findOption("--test-samples").defaultValue());
    }

    @Test
    void optionsAreParsedAsTheApiParsesJsonAndGridIsShortForHeightAndWidth() {
        CommandLine cli = Main.commandLine();
        CommandLine train = cli.getSubcommands().get("train");
        cli.parseArgs("train", "--grid", "12x5", "--height", "20", "--lr", "3e-3", "--activation", "TANH");
        RunConfig c = ConfigOptions.read(train.getCommandSpec(), RunConfig.defaults(), GridShorthand.parse("12x5"));
        assertEquals(20, c.height(), "an explicit --height wins over --grid");
        assertEquals(5, c.width());
        assertEquals(3e-3, c.lr());
        assertEquals(Activation.TANH, c.activation());
        assertEquals(RunConfigJson.read("{\"height\": 20, \"width\": 5, \"lr\": 0.003, \"activation\": \"tanh\"}"), c);
    }

    @Test
    void aRefusedOptionSaysWhatTheApiSays() {
        CommandLineTest.Result r = CommandLineTest.run("train", "--dataset", "synthetic", "--lr-gamma", "2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("lrGamma: must be a number in (0, 1], got 2.0"), r.err());
        CommandLineTest.Result type = CommandLineTest.run("train", "--dataset", "synthetic", "--epochs", "many");
        assertTrue(type.err().contains("epochs: must be a whole number"), type.err());
    }

    @Test
    void theReadmeTableIsTheFieldsCommandsOutput() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("<!-- fields:start");
        int end = readme.indexOf("<!-- fields:end -->");
        assertTrue(start >= 0 && end > start, "README.md has no fields table markers");
        String table = readme.substring(readme.indexOf('\n', start) + 1, end);
        assertEquals(FieldsCommand.markdown(), table,
                "README.md's table is stale: paste the output of `neuralgrid fields` between the markers");
    }

    @Test
    void fieldsJsonListsEveryDescriptor() {
        CommandLineTest.Result r = CommandLineTest.run("fields", "--json");
        assertEquals(0, r.code(), r.err());
        for (ConfigField f : RunConfig.FIELDS) {
            assertTrue(r.out().contains("\"name\" : \"" + f.name() + "\""), f.name());
        }
    }

    @Test
    void metricsCsvHasTheApisColumns(@TempDir Path dir) throws Exception {
        CommandLineTest.Result r = CommandLineTest.run("train", "--dataset", "synthetic", "--samples", "128",
                "--test-samples", "32", "--grid", "4x2", "--batch", "64", "--epochs", "1", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        var lines = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(MetricsCsv.HEADER, lines.get(0));
        String[] row = lines.get(1).split(",", -1);
        assertEquals(MetricsCsv.HEADER.split(",").length, row.length);
        for (int c = 0; c < row.length; c++) {
            boolean validation = MetricsCsv.HEADER.split(",")[c].startsWith("validation");
            assertEquals(validation, row[c].isEmpty(), "column " + c + " of " + lines.get(1));
        }
    }
}
