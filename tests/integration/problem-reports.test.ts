import { sql } from "drizzle-orm";

import { action as reportProblem } from "~/routes/_resident.services.$id";

import { queryRows } from "../../db/client.server";
import { createFacility, createService } from "../../db/queries/listings.server";
import { createTestUser } from "../utils/accounts";
import { callAction } from "../utils/routes";

// A resident's problem report from a service page: nothing is chosen for them, and a refusal
// gives back what they wrote.

const COMMUNITY = "370102001002";

async function publicService() {
  const user = await createTestUser({ role: "community_staff", regionCode: COMMUNITY });
  const facility = await createFacility({ userId: user.id }, COMMUNITY, {
    name: "老年食堂",
    type: "elderly_canteen",
    address: "",
    lat: 36.6651,
    lng: 117.0403,
  });
  return (await createService({ userId: user.id }, facility.id, {
    name: "助餐",
    category: "elderly_care",
    description: "",
    residentsOnly: false,
  }))!;
}

const reportsOf = async (serviceId: string) =>
  queryRows<{ kind: string; text: string }>(
    sql`select kind, text from problem_reports where service_id = ${serviceId} order by created_at`,
  );

describe("a resident's problem report", () => {
  it("without a kind is refused with 400, keeps the text and stores nothing", async () => {
    const service = await publicService();
    const refused = await callAction(reportProblem, `/services/${service.id}`, {
      params: { id: service.id },
      form: { text: "电话打不通，已经换号了" },
      clientIp: "100.64.12.1",
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ reported: false, invalid: true, text: "电话打不通，已经换号了" });
    expect(await reportsOf(service.id)).toEqual([]);
  });

  it("with a kind is stored as the resident chose it", async () => {
    const service = await publicService();
    const sent = await callAction(reportProblem, `/services/${service.id}`, {
      params: { id: service.id },
      form: { kind: "wrong_phone", text: "电话打不通" },
      clientIp: "100.64.12.2",
    });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ reported: true });
    expect(await reportsOf(service.id)).toEqual([{ kind: "wrong_phone", text: "电话打不通" }]);
  });
});
