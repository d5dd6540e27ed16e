package org.neuralgrid.worker;

/** Why someone asked a run to stop: a user cancelled or deleted it, or the process that trains it is stopping. */
enum StopReason { CANCEL, INTERRUPT, DELETE }
