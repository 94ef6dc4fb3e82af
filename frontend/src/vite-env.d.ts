/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Kratos public URL, validated and normalised at build time (no trailing slash). */
  readonly VITE_KRATOS_HOST: string;
  /** The API behind Oathkeeper, validated at build time; '' when not configured. */
  readonly VITE_API_URL: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
