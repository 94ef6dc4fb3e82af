// Which e2e specs run in which of npm test's two passes (playwright.config.ts reads these, and
// infra/local/test.mjs checks afterwards that every spec on disk ran in the passes that own it).
//
// The first pass, on SQLite, runs every spec but the PostgreSQL-only ones. KRATOS_DB=postgres (the
// second pass): the core, flow and second-factor specs again, on PostgreSQL with two Kratos
// replicas, and the replica tests, which need them; then, after all of them and one at a time,
// the fault tests, which kill a replica and stop the database under everyone's feet.
export const POSTGRES_PASS = /[\\/](core|registration-and-code|recovery|verification|settings|second-factor|replicas|faults)\.spec\.ts$/;
export const POSTGRES_ONLY = /[\\/](replicas|faults)\.spec\.ts$/;
export const POSTGRES_FAULTS = /[\\/]faults\.spec\.ts$/;
