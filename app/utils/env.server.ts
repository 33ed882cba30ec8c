import { cookieSecure, env } from "../../db/env.server";

export { cookieSecure, env };

/** What the browser may know; served through the root loader, never process.env. */
export function getClientEnv() {
  return {
    BASEMAP: env.BASEMAP,
  };
}
export type ClientEnv = ReturnType<typeof getClientEnv>;
