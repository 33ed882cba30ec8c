import { readConfig } from "@remix-run/dev/dist/config.js";
import { readFileSync } from "node:fs";
import path from "node:path";

export type ManifestRoute = { id: string; file: string; path: string };

/**
 * Every route in Remix's own manifest that has an action (it mutates), with its file and its full
 * URL path (parents' segments joined; `:param` left in).
 */
export async function mutatingRoutes(): Promise<ManifestRoute[]> {
  const config = await readConfig(path.resolve("."));
  const routes = config.routes;
  const fullPath = (id: string): string => {
    const route = routes[id];
    const own = route.path ?? "";
    const parent = route.parentId && route.parentId !== "root" ? fullPath(route.parentId) : "";
    return [parent, own].filter(Boolean).join("/");
  };
  return Object.values(routes)
    .map((route) => ({
      id: route.id,
      file: path.join(config.appDirectory, route.file),
      path: `/${fullPath(route.id)}`,
    }))
    .filter((route) =>
      /export\s+(async\s+)?function\s+action\b|export\s+const\s+action\b/.test(readFileSync(route.file, "utf8")),
    );
}
