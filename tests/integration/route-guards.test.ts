// The guard rule (docs/architecture.md): the first statement of every exported loader and action
// is its guard — `publicRoute()` for what anyone may call, or a `require*` guard that throws
// 401/403 — so that a route's access is read in the route, and no route is public by omission.
import { readFileSync } from "node:fs";
import ts from "typescript";

import { manifestRoutes } from "../utils/route-manifest";

const GUARD = /^(?:const\s+[^=]+=\s*)?(?:await\s+)?(publicRoute|require\w*)\(/;

/**
 * Known exceptions, each with its reason; the list only shrinks. The API's facility list reads the
 * region it is asked about from the query string, and answers 400 for a bad query before 401.
 */
const EXCEPTIONS = new Set(["routes/api.v1.facilities loader"]);

/** The first statement of each exported loader and action of a module, as source text. */
function firstStatements(file: string) {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: { name: "loader" | "action"; first: string }[] = [];
  for (const statement of source.statements) {
    if (!ts.isFunctionDeclaration(statement) || !statement.name || !statement.body) continue;
    const name = statement.name.text;
    const exported = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported || (name !== "loader" && name !== "action")) continue;
    found.push({ name, first: statement.body.statements[0]?.getText(source) ?? "" });
  }
  return found;
}

describe("route guards", () => {
  it("every loader and action states its guard (publicRoute or require*) on its first line", async () => {
    const routes = await manifestRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(40);
    const offenders: string[] = [];
    let checked = 0;
    for (const route of routes) {
      for (const { name, first } of firstStatements(route.file)) {
        checked++;
        const key = `${route.id} ${name}`;
        if (!GUARD.test(first) && !EXCEPTIONS.has(key)) offenders.push(`${key}: ${first.split("\n")[0]}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(60);
  });

  it("lists only exceptions that still need it", async () => {
    const routes = await manifestRoutes();
    const stale = [...EXCEPTIONS].filter((key) => {
      const [id, name] = key.split(" ");
      const route = routes.find((r) => r.id === id);
      const found = route && firstStatements(route.file).find((f) => f.name === name);
      return !found || GUARD.test(found.first);
    });
    expect(stale).toEqual([]);
  });
});
