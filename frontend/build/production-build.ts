// A production build into a folder of its own, with the given build environment: what
// `npm run build` makes for a deployment. For tests that check the built files.
import { fileURLToPath } from 'node:url';

export async function productionBuild(outDir: string, env: Record<string, string>): Promise<void> {
  const { build } = await import('vite');
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    await build({
      configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
      logLevel: 'silent',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
