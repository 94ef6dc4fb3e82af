// The app's routes by path. The router's table (main.ts) must name exactly these, and the build
// emits an HTML entry for each (build/route-pages.ts), so that static hosting answers them itself.
export const ROUTE_PATHS = ['/', '/login', '/registration', '/recovery', '/verification', '/settings', '/logout', '/error', '/admin'] as const;
export type RoutePath = (typeof ROUTE_PATHS)[number];
