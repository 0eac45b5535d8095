// The orders a run's iterations can be measured in (--order) and the range of
// their seed (--seed), apart from the schedule itself so that reading results
// or defining the CLI's options does not load its random generator.
export const ORDERS = ["interleaved", "sequential"] as const;
export type Order = (typeof ORDERS)[number];

/** Seeds are 32-bit unsigned integers (the Mersenne Twister's). */
export const MAX_SEED = 2 ** 32 - 1;
