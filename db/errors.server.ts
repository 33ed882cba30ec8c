/**
 * Which failures mean "the database cannot be reached right now" (answer 503 + Retry-After, retry
 * later) rather than "this request is wrong" or "a bug" (4xx / 500).
 *
 * Errors arrive wrapped: drizzle throws DrizzleQueryError with the driver's error as `cause`, the
 * app may wrap again, and node's happy-eyeballs connect throws an AggregateError whose `errors`
 * are the per-address failures. Every link of the chain is checked.
 */

/** node socket errors (`error.code`) that mean the server is not there or went away */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
]);

/** postgres.js's own connection errors (`error.code`) */
const DRIVER_CODES = new Set(["CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED"]);

/** SQLSTATEs: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections */
const SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/** PGlite, when its instance was closed or is closing (shutdown) */
const PGLITE_MESSAGES = [/^PGlite is closed/, /^PGlite is closing/];

const MAX_DEPTH = 8;

function isUnavailableLink(error: object): boolean {
  const { code, message, syscall } = error as { code?: unknown; message?: unknown; syscall?: unknown };
  if (typeof code === "string") {
    if (SOCKET_CODES.has(code) || DRIVER_CODES.has(code) || SQLSTATES.has(code)) return true;
    // class 08: connection exception (08000, 08001, 08003, 08004, 08006, 08007, 08P01)
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
    // a unix-socket DATABASE_URL whose socket file is gone while the server is stopped
    if (code === "ENOENT" && syscall === "connect") return true;
  }
  return typeof message === "string" && PGLITE_MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * True when `error` (or anything in its `cause` chain, or an AggregateError's members) is a
 * connection-class failure: refused, reset, timed out, closed by the server (57P01 admin_shutdown,
 * 57P02, 57P03 starting up / shutting down), SQLSTATE class 08, 53300 too_many_connections, the
 * driver's CONNECT_TIMEOUT / CONNECTION_CLOSED / _DESTROYED / _ENDED, or a closed PGlite instance.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return errorChain(error).some(isUnavailableLink);
}

/** `error`, its `cause` chain and an AggregateError's members, depth first, each once. */
export function errorChain(error: unknown): Array<{ code?: unknown; message?: unknown }> {
  const links: object[] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown, depth: number) => {
    if (value === null || typeof value !== "object" || depth > MAX_DEPTH || seen.has(value)) return;
    seen.add(value);
    links.push(value);
    const { cause, errors } = value as { cause?: unknown; errors?: unknown };
    if (Array.isArray(errors)) for (const member of errors) walk(member, depth + 1);
    walk(cause, depth + 1);
  };
  walk(error, 0);
  return links;
}
