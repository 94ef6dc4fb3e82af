// The steps of a load journey, in order: shared by the k6 script (journey.k6.js, which names its
// Trends step_<index>) and the driver that reports them (infra/local/load.mjs).
export const STEPS = ['sign-up: create flow', 'sign-up: submit', 'whoami via Oathkeeper', 'sign-out', 'sign-in: create flow', 'sign-in: submit'];
