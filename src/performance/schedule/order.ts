// The orders a run's iterations can be measured in (--order), apart from the
// schedule itself so that reading results does not load its random generator.
export const ORDERS = ["interleaved", "sequential"] as const;
export type Order = (typeof ORDERS)[number];
