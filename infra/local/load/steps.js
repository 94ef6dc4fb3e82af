// The steps of a load journey, in order: shared by the k6 script (journey.k6.js, which names its
// Trends step_<index>) and the driver that reports them (infra/local/load.mjs). New steps go last, so
// that an older table's step_<n> keeps its meaning.
export const STEPS = ['sign-up: create flow', 'sign-up: submit', 'whoami via Oathkeeper', 'sign-out', 'sign-in: create flow', 'sign-in: submit', 'sign-up: ask for code', 'sign-up: code mailed', 'password: create flow', 'password: submit'];
// Steps only the check afterwards takes (MODE=verify: an account without a password signs in by a
// mailed code); its Trends are verify_<index>, reported nowhere.
export const VERIFY_STEPS = ['sign-in: ask for code', 'sign-in: code mailed', 'sign-in: submit code'];
