// Build-time settings. VITE_KRATOS_HOST is checked and normalised by the Vite config
// (frontend/build/kratos-host.ts) before it is baked in, so here it is a clean URL.

/** The Kratos public API, without a trailing slash, e.g. https://auth.example.com */
export const KRATOS_URL: string = import.meta.env.VITE_KRATOS_HOST;

/** The API behind Oathkeeper (no trailing slash), or '' when this build has none. */
export const API_URL: string = import.meta.env.VITE_API_URL;

/** The path the app is served under, with a trailing slash: "/" or "/repo/". */
export const BASE_PATH: string = import.meta.env.BASE_URL;
