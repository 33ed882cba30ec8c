// URLs that were published under another name and must keep working: bookmarks, links in
// officials' reports and scripts that download the exports. "access" meant the living circle's
// reach until issue 12; the word now means authorization only.
const MOVED: readonly [RegExp, string][] = [
  [/^\/admin\/access\/?$/, "/admin/living-circle"],
  [/^\/dashboard\/([^/]+)\/access(\.csv|\.geojson)?\/?$/, "/dashboard/$1/living-circle$2"],
];

/** Where a moved URL lives now (its query string kept), or null for every other URL. */
export function movedUrl(originalUrl: string): string | null {
  const queryAt = originalUrl.indexOf("?");
  const path = queryAt === -1 ? originalUrl : originalUrl.slice(0, queryAt);
  const query = queryAt === -1 ? "" : originalUrl.slice(queryAt);
  for (const [pattern, target] of MOVED) {
    if (pattern.test(path)) return path.replace(pattern, target) + query;
  }
  return null;
}
