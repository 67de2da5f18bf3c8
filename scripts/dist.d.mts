/** The node flags the service runs with (also in bin/a2d2.mjs's shebang and the Dockerfile). */
export const NODE_FLAGS: readonly string[];
/** The environment the service runs with (also in bin/a2d2.mjs's shebang and the Dockerfile). */
export const SERVICE_ENV: Readonly<Record<string, string>>;
/** The newest modification time (ms) among the build's inputs. */
export function newestSource(): number;
/** True when dist/main.js is missing or older than a source. */
export function isStale(): boolean;
/** Builds dist/ when it is stale (or when `force`); returns true when it built. */
export function ensureBuilt(opts?: { force?: boolean; log?: (line: string) => void }): boolean;
