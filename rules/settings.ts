/** `settings.tierwise` in an ESLint config. */
export interface TierwiseSettings {
  /** The project root (paths in messages, file conventions, vercel.json, tierwise.config.json). Default: the nearest
   * directory with a package.json or tsconfig.json above the linted file; when that directory is a workspace with a
   * tsconfig.json of a monorepo (package.json#workspaces, pnpm-workspace.yaml), the monorepo root, as
   * `tierwise audit <monorepo>` does (both configs). */
  root?: string;
  /** Trace across files with the type-checked program (set by `recommended-type-checked`); where a file has no
   * program (a JavaScript file outside the tsconfig, a config file), it falls back to the single-file analysis. */
  typeChecked?: boolean;
}
