import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Found from this module's own location, whether it runs from db/ under tsx or bundled in build/.
function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
export const migrationsFolder = path.join(projectRoot, "drizzle");
export const referenceDataDir = path.join(projectRoot, "db", "data");
