// Property: after any sequence of listing changes made through the real listing functions, the
// community_access table kept incrementally equals a full recompute. Random but seeded sequences
// of creates, moves, status changes and service category changes among a dozen community points
// in 2 km × 2 km of 历下区, with facilities dense enough that nearest facilities keep changing.
import { sql } from "drizzle-orm";

import { queryRows } from "../../db/client.server";
import { FACILITY_TYPES, type FacilityType, type ServiceCategory } from "../../db/identifiers";
import { importListings } from "../../db/queries/listing-import.server";
import {
  createFacility,
  createService,
  setFacilityStatus,
  setServiceStatus,
  updateCommunityProfile,
  updateFacility,
  updateService,
  type ListingStatus,
} from "../../db/queries/listings.server";
import {
  recomputeLivingCircle,
  runLivingCircleRecomputes,
  setLivingCircleThreshold,
} from "../../db/queries/living-circle.server";
import { mulberry32 } from "../../db/seed/random";
import { createTestUser } from "../utils/accounts";

const COMMUNITIES = [
  "370102001002",
  "370102001003",
  "370102001006",
  "370102001008",
  "370102001009",
  "370102002002",
  "370102002003",
  "370102002004",
  "370102002005",
  "370102003007",
  "370102003008",
  "370102003009",
];
const ORIGIN = { lat: 36.65, lng: 117.03 };
// about 2 km in each direction
const SPAN = { lat: 0.018, lng: 0.0225 };
// a few categories only, so that facilities share them often
const CATEGORIES: ServiceCategory[] = ["elderly_care", "health", "culture_education"];
const STATUSES: ListingStatus[] = ["active", "suspended", "closed"];

function rng(seed: number) {
  const next = mulberry32(seed);
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    point: () => ({ lat: ORIGIN.lat + next() * SPAN.lat, lng: ORIGIN.lng + next() * SPAN.lng }),
  };
}

type Tracked = {
  id: string;
  version: number;
  name: string;
  type: FacilityType;
  point: { lat: number; lng: number } | null;
  services: { id: string; version: number; category: ServiceCategory }[];
};

const livingCircleTable = () =>
  queryRows<{ community_code: string; measure: string; facility_id: string; distance_m: number }>(
    sql`select community_code, measure, facility_id, distance_m from community_access order by community_code, measure`,
  );

afterAll(async () => {
  await queryRows(sql`update regions set point = null, households = null, population = null, population_60 = null, is_demo = false
    where code in (select jsonb_array_elements_text(${JSON.stringify(COMMUNITIES)}::jsonb))`);
});

beforeEach(async () => {
  await queryRows(sql`truncate table community_access, access_thresholds, services, facilities cascade`);
});

describe("incremental living-circle reach", () => {
  it.each([1, 2, 3, 4])(
    "equals a full recompute after every step of random listing changes (seed %i)",
    async (seed) => {
      const random = rng(seed * 7919);
      const actor = { userId: (await createTestUser({ role: "province_admin", regionCode: "37" })).id };
      for (const code of COMMUNITIES) {
        const at = random.point();
        await queryRows(sql`update regions set point = ST_SetSRID(ST_MakePoint(${at.lng}::float8, ${at.lat}::float8), 4326),
        population_60 = ${random.int(500)}, is_demo = true where code = ${code}`);
      }
      // thresholds smaller than the area, so that which communities a facility reaches matters
      await setLivingCircleThreshold(actor, "health", 600);
      await setLivingCircleThreshold(actor, "elderly_day_care", 400);
      await runLivingCircleRecomputes();
      const facilities: Tracked[] = [];
      const log: string[] = [];

      const steps = 45;
      for (let step = 0; step < steps; step++) {
        const existing = facilities.length ? random.pick(facilities) : null;
        const op =
          facilities.length < 4
            ? "create"
            : random.pick([
                "create",
                "move",
                "status",
                "service",
                "category",
                "service_status",
                "community",
                "import",
              ] as const);
        if (op === "create" || !existing) {
          const type = random.next() < 0.35 ? "elderly_day_care" : random.pick(FACILITY_TYPES);
          const point = random.next() < 0.9 ? random.point() : null;
          const created = await createFacility(actor, random.pick(COMMUNITIES), {
            name: `F${step}`,
            type,
            address: "",
            ...(point ?? {}),
          });
          const tracked: Tracked = {
            id: created.id,
            version: created.version,
            name: created.name,
            type,
            point,
            services: [],
          };
          for (let i = random.int(3); i > 0; i--) {
            const service = (await createService(actor, created.id, {
              name: `S${step}-${i}`,
              category: random.pick(CATEGORIES),
              description: "",
              residentsOnly: false,
            }))!;
            tracked.services.push({ id: service.id, version: service.version, category: service.category });
          }
          facilities.push(tracked);
          log.push(
            `${step}: create ${type} ${point ? "with a point" : "without a point"}, ${tracked.services.length} services`,
          );
        } else if (op === "move") {
          const point = random.next() < 0.85 ? random.point() : null;
          const type = random.next() < 0.2 ? random.pick(FACILITY_TYPES) : existing.type;
          const result = await updateFacility(actor, existing.id, existing.version, {
            name: existing.name,
            type,
            address: "",
            ...(point ?? {}),
          });
          if (!result.ok) throw new Error(`move failed: ${result.reason}`);
          Object.assign(existing, { version: result.value.version, point, type });
          log.push(`${step}: move ${existing.id} ${point ? "" : "off the map"} as ${type}`);
        } else if (op === "status") {
          const status = random.pick(STATUSES);
          const result = await setFacilityStatus(actor, existing.id, existing.version, status);
          if (!result.ok) throw new Error(`status failed: ${result.reason}`);
          existing.version = result.value.version;
          log.push(`${step}: facility ${existing.id} ${status}`);
        } else if (op === "service") {
          const service = (await createService(actor, existing.id, {
            name: `S${step}`,
            category: random.pick(CATEGORIES),
            description: "",
            residentsOnly: false,
          }))!;
          existing.services.push({ id: service.id, version: service.version, category: service.category });
          log.push(`${step}: add ${service.category} at ${existing.id}`);
        } else if (op === "category" && existing.services.length) {
          const service = random.pick(existing.services);
          const category = random.pick(CATEGORIES);
          const result = await updateService(actor, service.id, service.version, {
            name: "changed",
            category,
            description: "",
            residentsOnly: false,
          });
          if (!result.ok) throw new Error(`category failed: ${result.reason}`);
          Object.assign(service, { version: result.value.version, category });
          log.push(`${step}: service ${service.id} now ${category}`);
        } else if (op === "service_status" && existing.services.length) {
          const service = random.pick(existing.services);
          const status = random.pick(STATUSES);
          const result = await setServiceStatus(actor, service.id, service.version, status);
          if (!result.ok) throw new Error(`service status failed: ${result.reason}`);
          service.version = result.value.version;
          log.push(`${step}: service ${service.id} ${status}`);
        } else if (op === "community") {
          const code = random.pick(COMMUNITIES);
          await updateCommunityProfile(actor, code, { ...random.point(), population60: random.int(500) });
          await queryRows(sql`update regions set is_demo = true where code = ${code}`);
          log.push(`${step}: community ${code} moved`);
        } else if (op === "import") {
          const point = random.point();
          await importListings(actor, [
            {
              communityCode: random.pick(COMMUNITIES),
              fields: { name: `I${step}`, type: random.pick(FACILITY_TYPES), address: "", ...point },
              services: [{ name: "导入", category: random.pick(CATEGORIES), description: "", residentsOnly: false }],
            },
          ]);
          log.push(`${step}: import one facility`);
        } else {
          continue;
        }
        const kept = await livingCircleTable();
        await recomputeLivingCircle();
        const full = await livingCircleTable();
        expect(kept, `after the steps:\n${log.join("\n")}`).toEqual(full);
      }
      // the sequences did exercise coverage, not an empty table
      expect((await livingCircleTable()).length).toBeGreaterThan(0);
    },
  );
});
