package org.neuralgrid.cli;

import java.util.List;
import java.util.Map;
import org.neuralgrid.model.FieldError;
import org.neuralgrid.model.InvalidConfigException;

/** {@code --grid 64x64}: the command line's shorthand for {@code --height 64 --width 64}. */
final class GridShorthand {
    private GridShorthand() {
    }

    /** The height and width a "HxW" text gives, as option texts; empty for null. */
    static Map<String, String> parse(String text) {
        if (text == null) {
            return Map.of();
        }
        String[] parts = text.trim().toLowerCase().split("x", -1);
        if (parts.length == 2 && parts[0].trim().matches("\\d{1,9}") && parts[1].trim().matches("\\d{1,9}")) {
            return Map.of("height", parts[0].trim(), "width", parts[1].trim());
        }
        throw new InvalidConfigException(List.of(new FieldError("grid", "must be HEIGHTxWIDTH like 64x64, got '"
                + text + "'")));
    }
}
