import { readConfig } from "@remix-run/dev/dist/config.js";
import { readFileSync } from "node:fs";
import path from "node:path";

export type ManifestRoute = { id: string; file: string; path: string };

/** Every route in Remix's own manifest, with its file and its full URL path (parents' segments joined; `:param` left in). */
export async function manifestRoutes(): Promise<ManifestRoute[]> {
  const config = await readConfig(path.resolve("."));
  const routes = config.routes;
  const fullPath = (id: string): string => {
    const route = routes[id];
    const own = route.path ?? "";
    const parent = route.parentId && route.parentId !== "root" ? fullPath(route.parentId) : "";
    return [parent, own].filter(Boolean).join("/");
  };
  return Object.values(routes).map((route) => ({
    id: route.id,
    file: path.join(config.appDirectory, route.file),
    path: `/${fullPath(route.id)}`,
  }));
}

const exports = (name: "loader" | "action") =>
  new RegExp(`export\\s+(async\\s+)?function\\s+${name}\\b|export\\s+const\\s+${name}\\b`);

/** Every route of the manifest that has an action (it mutates). */
export async function mutatingRoutes(): Promise<ManifestRoute[]> {
  return (await manifestRoutes()).filter((route) => exports("action").test(readFileSync(route.file, "utf8")));
}

/** Every route of the manifest that has a loader (it answers GET). */
export async function readingRoutes(): Promise<ManifestRoute[]> {
  return (await manifestRoutes()).filter((route) => exports("loader").test(readFileSync(route.file, "utf8")));
}
