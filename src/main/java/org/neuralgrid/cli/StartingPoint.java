package org.neuralgrid.cli;

import java.util.Map;
import org.neuralgrid.model.Recipe;
import org.neuralgrid.model.RunConfig;
import picocli.CommandLine.Option;

/** Where {@code train} and {@code sweep} start from: the defaults or a recipe, and the {@code --grid} shorthand. */
final class StartingPoint {
    @Option(names = "--grid", paramLabel = "HxW", description = "2d: --height x --width in one, e.g. 64x64")
    String grid;

    @Option(names = "--recipe", paramLabel = "ID", description = "start from a recipe's values (published, "
            + "quick-look, fast); the options given override them")
    String recipe;

    /** The defaults, or a recipe's values over them (--recipe). */
    RunConfig base() {
        return recipe == null ? RunConfig.defaults()
                : CliErrors.option("--recipe", () -> Recipe.parse(recipe)).over(RunConfig.defaults());
    }

    /** The height and width --grid gives, as option texts; empty without it. */
    Map<String, String> gridFields() {
        return GridShorthand.parse(grid);
    }
}
