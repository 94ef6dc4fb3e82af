/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Kratos public URL, validated and normalised at build time (no trailing slash). */
  readonly VITE_KRATOS_HOST: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
