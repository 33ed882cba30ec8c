import { cookieSecure, env } from "../../db/env.server";

export { cookieSecure, env };

/** What the browser may know; served through the root loader, never process.env. */
export function getClientEnv() {
  return {
    MAP_TILE_URL: env.MAP_TILE_URL,
    MAP_TILE_ATTRIBUTION: env.MAP_TILE_ATTRIBUTION,
  };
}
export type ClientEnv = ReturnType<typeof getClientEnv>;
