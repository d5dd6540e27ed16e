package org.neuralgrid.worker;

import org.neuralgrid.engine.BestEpoch;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.engine.TrainingListener;
import org.neuralgrid.store.RunStore;

/** A run trained in this process: everything goes into the store and out as events at once. */
final class StoreLedger implements RunLedger {
    private final String id;
    private final RunStore store;
    private final RunEvents events;
    private final RunMeters meters;

    StoreLedger(String id, RunStore store, RunEvents events, RunMeters meters) {
        this.id = id;
        this.store = store;
        this.events = events;
        this.meters = meters;
    }

    @Override
    public RunFiles files() {
        return store.runFiles(id);
    }

    @Override
    public void device(String backend, String device) {
        store.recordDevice(id, backend, device).ifPresent(events::summaryChanged);
    }

    @Override
    public void rewound(int epoch, BestEpoch best) {
        store.rewind(id, epoch, best).ifPresent(events::summaryChanged);
    }

    @Override
    public TrainingListener listener() {
        return new RunEventListener(id, store, events, meters);
    }
}
