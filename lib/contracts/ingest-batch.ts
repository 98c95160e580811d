/** Items (ticks, updates, entries) in one ingest batch. */
export const MAX_BATCH_ITEMS = 10_000;
