// What a directory developer would run against Shequ's HSDS 3.0 API: pages through every public
// service of the province and validates every object against our schemas of the spec
// (tests/hsds/schemas.ts), then the other lists, and prints counts, failures and time.
//
//   npx tsx tests/hsds/crawl.ts http://localhost:3000 [--per-page 200] [--details 50]
//
// The services are read with `full=true`: each list item is then the full service (organization,
// service_at_locations with location, address, phones and schedules, attributes), validated as
// HSDS's compiled service, so that the list alone carries everything and a crawl of N services
// is N / per_page requests. `--details K` also fetches the first K services one by one at
// /services/{id} and checks that each equals its list item. A 429 is waited out (Retry-After).
import { schemaErrors, type ValidatorName } from "./schemas";

type Page = {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  last_page: boolean;
  contents: { id: string }[];
};

const args = process.argv.slice(2);
const base = (args.find((a) => !a.startsWith("--")) ?? "http://localhost:3000").replace(/\/$/, "");
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const perPage = option("per-page", 200);
const details = option("details", 20);
const api = `${base}/api/hsds/v3`;

const counts = { requests: 0, waits: 0, objects: 0, failures: 0 };
const failures: string[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function get(path: string): Promise<unknown> {
  for (;;) {
    counts.requests++;
    const response = await fetch(`${api}${path}`, { headers: { Accept: "application/json" } });
    if (response.status === 429 || response.status === 503) {
      counts.waits++;
      await sleep(Number(response.headers.get("Retry-After") ?? 5) * 1000);
      continue;
    }
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }
}

function check(name: ValidatorName, data: unknown, where: string) {
  counts.objects++;
  const errors = schemaErrors(name, data);
  if (errors.length) {
    counts.failures++;
    if (failures.length < 30) failures.push(`${where}: ${errors.slice(0, 3).join("; ")}`);
  }
}

/** every page of a list: the envelope against `page` (contents aside), each item against `item` */
async function crawl(path: string, page: ValidatorName, item: ValidatorName) {
  const started = performance.now();
  const ids = new Set<string>();
  const items: { id: string }[] = [];
  let duplicates = 0;
  let total = 0;
  for (let n = 1; ; n++) {
    const join = path.includes("?") ? "&" : "?";
    const body = (await get(`${path}${join}page=${n}&per_page=${perPage}`)) as Page;
    check(page, { ...body, contents: [] }, `${path} page ${n}`);
    total = body.total_items;
    for (const [i, content] of body.contents.entries()) {
      check(item, content, `${path} page ${n} item ${i} (${content.id})`);
      if (ids.has(content.id)) duplicates++;
      ids.add(content.id);
      items.push(content);
    }
    if (body.last_page || body.contents.length === 0) break;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${path.padEnd(40)} ${String(ids.size).padStart(7)} objects (total_items ${total}, duplicates ${duplicates}) in ${seconds.toFixed(1)} s`,
  );
  if (ids.size !== total) failures.push(`${path}: read ${ids.size} distinct objects, total_items says ${total}`);
  if (duplicates) failures.push(`${path}: ${duplicates} objects on more than one page`);
  return items;
}

const started = performance.now();
check("root", await get("/"), "/");
const services = await crawl("/services?full=true", "fullServicePage", "service");
await crawl("/services", "servicePage", "serviceList");
await crawl("/service_at_locations", "serviceAtLocationPage", "serviceAtLocationList");
await crawl("/locations", "locationPage", "location");
await crawl("/organizations", "organizationPage", "organizationList");
await crawl("/taxonomies", "taxonomyPage", "taxonomy");
await crawl("/taxonomy_terms", "taxonomyTermPage", "taxonomyTerm");

const detailStarted = performance.now();
for (const listed of services.slice(0, details)) {
  const one = await get(`/services/${listed.id}`);
  check("service", one, `/services/${listed.id}`);
  if (JSON.stringify(one) !== JSON.stringify(listed))
    failures.push(`/services/${listed.id}: differs from its list item`);
}
if (details > 0) {
  console.log(
    `/services/{id} ×${Math.min(details, services.length)}: ${((performance.now() - detailStarted) / 1000).toFixed(1)} s`,
  );
}

console.log(
  `\n${counts.objects} objects validated, ${counts.failures} failed; ${counts.requests} requests (${counts.waits} waits on 429/503) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
for (const failure of failures) console.log(`FAIL ${failure}`);
process.exit(failures.length ? 1 : 0);
