import { sql } from "drizzle-orm";

import { queryRows } from "../../db/client.server";
import { createFacility, createService } from "../../db/queries/listings.server";
import { createTestUser } from "./accounts";

// Three communities of 解放路街道 (历下区) placed for the living-circle tests: one with an elderly
// canteen 300 m away (covered), and two without elderly care within 1 km, of 900 and of 100
// residents aged 60+. The routes, the plan and the exports are tried on the same ground.
export const COVERED = "370102001002";
export const GAP_BIG = "370102001008";
export const GAP_SMALL = "370102001003";

/** Places the three communities and the canteen with its meal service; returns who registered it. */
export async function placeLivingCircleCommunities(meals: { capacity?: number; validFrom?: string } = {}) {
  await queryRows(sql`truncate table community_access, access_thresholds, services, facilities cascade`);
  const place = (code: string, lat: number, lng: number, population60: number) =>
    queryRows(
      sql`update regions set point = ST_SetSRID(ST_MakePoint(${lng}::float8, ${lat}::float8), 4326), population_60 = ${population60}, is_demo = true where code = ${code}`,
    );
  await place(COVERED, 36.65, 117.05, 300);
  await place(GAP_BIG, 36.66, 117.09, 900);
  await place(GAP_SMALL, 36.62, 117.0, 100);
  const owner = await createTestUser({ role: "province_admin", regionCode: "37" });
  const canteen = await createFacility({ userId: owner.id }, COVERED, {
    name: "老年食堂",
    type: "elderly_canteen",
    address: "",
    lat: 36.6527,
    lng: 117.05,
  });
  await createService({ userId: owner.id }, canteen.id, {
    name: "助餐",
    category: "elderly_care",
    description: "",
    residentsOnly: false,
    ...meals,
  });
  return { owner };
}

/** Takes the three communities' points and figures away again. */
export async function clearLivingCircleCommunities() {
  await queryRows(
    sql`update regions set point = null, population_60 = null, is_demo = false where code in (${COVERED}, ${GAP_BIG}, ${GAP_SMALL})`,
  );
}
