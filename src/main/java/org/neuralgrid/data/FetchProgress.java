package org.neuralgrid.data;

/** Where a fetch tells what it is doing: the CLI prints it, the dashboard shows it. */
@FunctionalInterface
public interface FetchProgress {
    /** Reports nothing, for callers that do not watch. */
    FetchProgress SILENT = (message, fraction) -> { };

    /**
     * @param message  what is happening now, for people
     * @param fraction how much of the current stage is done, 0..1, or NaN when unknown
     */
    void report(String message, double fraction);
}
