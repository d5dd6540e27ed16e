package org.neuralgrid.bus;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Where a run stands, and the sets of statuses the rest of the code asks about (the store, the queue, the pages
 * through their page data): defined here only.
 */
public enum RunStatus {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED, INTERRUPTED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** Waiting or training: it can be cancelled, and its page is live. */
    public boolean active() {
        return this == QUEUED || this == RUNNING;
    }

    /** Stopped before its end: it can be resumed from its checkpoint. */
    public boolean resumable() {
        return this == INTERRUPTED || this == CANCELLED || this == FAILED;
    }

    /** Over for good unless resumed: it has a finish time. */
    public boolean finished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** "queued or running": the ids of the statuses with a property, for messages. */
    public static String words(Predicate<RunStatus> property) {
        List<String> ids = ids(property);
        return ids.size() == 1 ? ids.get(0)
                : String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + ids.get(ids.size() - 1);
    }

    /** The ids of the statuses with a property, e.g. {@code ids(RunStatus::active)}: what the pages are sent. */
    public static List<String> ids(Predicate<RunStatus> property) {
        return Arrays.stream(values()).filter(property).map(RunStatus::id).toList();
    }
}
