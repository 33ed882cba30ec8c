import { action as roadsAction, loader as roadsLoader } from "~/routes/dashboard.$code.roads";

import { auditCount, createTestUser, sessionCookieFor } from "../utils/accounts";
import { callAction, callLoaderAs } from "../utils/routes";

// The embedded database has no pgRouting: the street-network page says so and loads nothing.

it("refuses to load a street network on the embedded database, and says why", async () => {
  const official = await createTestUser({ role: "district_official", regionCode: "370102" });
  const { cookie } = await sessionCookieFor(official.id);
  const page = await (await callLoaderAs(roadsLoader, "/dashboard/370102/roads", cookie, { code: "370102" })).json();
  expect(page).toMatchObject({ possible: false, networks: [] });
  const multipart = new FormData();
  multipart.set("file", new File(['<osm version="0.6"></osm>'], "grid.osm"));
  const audits = await auditCount();
  const refused = await callAction(roadsAction, "/dashboard/370102/roads", {
    params: { code: "370102" },
    multipart,
    cookie,
  });
  expect(refused.status).toBe(400);
  expect(await refused.json()).toEqual({ error: "livingCircle.roads_noRouting" });
  expect(await auditCount()).toBe(audits);
});
