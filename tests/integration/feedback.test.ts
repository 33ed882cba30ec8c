import { sql } from "drizzle-orm";

import { FEEDBACK_LIMITS } from "~/domains/feedback/feedback";
import { action as servicePageAction, loader as servicePage } from "~/routes/_resident.services.$id";
import { action as giveFeedbackApi } from "~/routes/api.v1.services.$id.feedback";

import { db, queryRows } from "../../db/client.server";
import { getServiceSatisfaction, recordFeedback, sweepFeedback } from "../../db/queries/feedback.server";
import { createFacility, createService } from "../../db/queries/listings.server";
import { serviceFeedback } from "../../db/schema";
import { createTestUser } from "../utils/accounts";
import { callAction, callLoaderAs } from "../utils/routes";

// A resident's opinion of a service (docs/figures.md, Satisfaction): no account, one per browser
// and service per 30 days (a later one replaces it), a budget per address, only public services.

const COMMUNITY = "370102001002";
let ipCounter = 0;
// addresses no other test file uses: the per-address budget is shared through the database
const nextIp = () => `100.97.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`;

async function publicService(name = "助餐") {
  const user = await createTestUser({ role: "community_staff", regionCode: COMMUNITY });
  const facility = await createFacility({ userId: user.id }, COMMUNITY, {
    name: "老年食堂",
    type: "elderly_canteen",
    address: "",
    lat: 36.6651,
    lng: 117.0403,
  });
  const service = (await createService({ userId: user.id }, facility.id, {
    name,
    category: "elderly_care",
    description: "",
    residentsOnly: false,
  }))!;
  return { service, facility, user };
}

const post = (serviceId: string, body: unknown, options: { cookie?: string; ip?: string } = {}) =>
  callAction(giveFeedbackApi, `/api/v1/services/${serviceId}/feedback`, {
    params: { id: serviceId },
    json: body,
    cookie: options.cookie,
    clientIp: options.ip ?? nextIp(),
  });

const browserOf = (response: Response) => {
  const header = response.headers.get("Set-Cookie") ?? "";
  expect(header).toMatch(/^shequ_rater=/);
  expect(header).toMatch(/HttpOnly/i);
  expect(header).toMatch(/Max-Age=2592000/);
  return header.split(";")[0];
};

const rowsOf = (serviceId: string) =>
  queryRows<{ satisfied: boolean; comment: string | null; rater_key: string | null; answer: string | null }>(
    sql`select satisfied, comment, rater_key, answer from service_feedback where service_id = ${serviceId} order by id`,
  );

describe("POST /api/v1/services/:id/feedback", () => {
  it("records an opinion (201) and sets the browser's cookie; the same browser's next one replaces it (200)", async () => {
    const { service } = await publicService();
    const first = await post(service.id, { satisfied: true, comment: "  饭菜可口 " });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({
      serviceId: service.id,
      satisfied: true,
      comment: "饭菜可口",
      replaced: false,
    });
    const browser = browserOf(first);

    const again = await post(service.id, { satisfied: false, comment: "今天排队太久" }, { cookie: browser });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ satisfied: false, replaced: true });
    const rows = await rowsOf(service.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ satisfied: false, comment: "今天排队太久" });
    // the key is a hash: the browser's id is not stored
    expect(rows[0].rater_key).not.toContain(browser.split("=")[1]);

    const otherBrowser = await post(service.id, { satisfied: true });
    expect(otherBrowser.status).toBe(201);
    expect(await rowsOf(service.id)).toHaveLength(2);
    expect(await getServiceSatisfaction(service.id)).toEqual({ responses: 2, satisfied: 1, rate: null });
  });

  it("one browser's opinions of two services are two opinions", async () => {
    const { service: a } = await publicService("助餐");
    const { service: b } = await publicService("助浴");
    const first = await post(a.id, { satisfied: true });
    const browser = browserOf(first);
    expect((await post(b.id, { satisfied: true }, { cookie: browser })).status).toBe(201);
    expect(await rowsOf(a.id)).toHaveLength(1);
    expect(await rowsOf(b.id)).toHaveLength(1);
  });

  it("after 30 days the same browser's opinion counts beside the old one", async () => {
    const { service } = await publicService();
    const browserId = "b".repeat(32);
    const long = new Date(Date.now() - (FEEDBACK_LIMITS.replaceDays + 1) * 24 * 3600 * 1000);
    await recordFeedback({
      serviceId: service.id,
      communityCode: COMMUNITY,
      browserId,
      opinion: { satisfied: false, comment: null },
      now: long,
    });
    const opinion = { satisfied: true, comment: null };
    const input = { serviceId: service.id, communityCode: COMMUNITY, browserId, opinion };
    expect(await recordFeedback(input)).toMatchObject({ replaced: false });
    expect(await recordFeedback(input)).toMatchObject({ replaced: true });
    const rows = await rowsOf(service.id);
    expect(rows.map((r) => r.satisfied)).toEqual([false, true]);
    expect(rows[0].rater_key).toBeNull();
  });

  it("a replaced comment loses its answer; the same comment keeps it", async () => {
    const { service, user } = await publicService();
    const first = await post(service.id, { satisfied: false, comment: "电话没人接" });
    const browser = browserOf(first);
    await db.execute(
      sql`update service_feedback set answer = '已换新号码', answered_at = now(), answered_by = ${user.id} where service_id = ${service.id}`,
    );
    await post(service.id, { satisfied: true, comment: "电话没人接" }, { cookie: browser });
    expect((await rowsOf(service.id))[0].answer).toBe("已换新号码");
    await post(service.id, { satisfied: true, comment: "现在好了" }, { cookie: browser });
    expect((await rowsOf(service.id))[0]).toMatchObject({ comment: "现在好了", answer: null });
  });

  it("refuses bad input with 400 naming the field, and stores nothing", async () => {
    const { service } = await publicService();
    for (const body of [
      {},
      { satisfied: "yes" },
      { satisfied: 1 },
      { satisfied: true, comment: "长".repeat(FEEDBACK_LIMITS.commentLength + 1) },
      { satisfied: true, comment: 5 },
    ]) {
      const refused = await post(service.id, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      const answer = (await refused.json()) as { error: string; fields: Record<string, string> };
      expect(Object.keys(answer.fields).length).toBeGreaterThan(0);
    }
    const notJson = await callAction(giveFeedbackApi, `/api/v1/services/${service.id}/feedback`, {
      params: { id: service.id },
      form: { satisfied: "true" },
      clientIp: nextIp(),
    });
    expect(notJson.status).toBe(400);
    expect(await rowsOf(service.id)).toEqual([]);
    expect((await post(service.id, { satisfied: true, comment: "长".repeat(200) })).status).toBe(201);
  });

  it("answers 404 for an unknown service and for one residents cannot see", async () => {
    expect((await post("no-such-service", { satisfied: true })).status).toBe(404);
    const { service } = await publicService();
    await db.execute(sql`update services set status = 'suspended' where id = ${service.id}`);
    const suspended = await post(service.id, { satisfied: true });
    expect(suspended.status).toBe(404);
    expect(await suspended.json()).toEqual({ error: "no such service" });
    expect(await rowsOf(service.id)).toEqual([]);
  });

  it("gives each address its hour's budget, then 429 with Retry-After; another address goes on", async () => {
    const { service } = await publicService();
    const ip = nextIp();
    for (let i = 0; i < FEEDBACK_LIMITS.perAddressPerHour; i++) {
      expect((await post(service.id, { satisfied: i % 2 === 0 }, { ip })).status).toBe(201);
    }
    const over = await post(service.id, { satisfied: true }, { ip });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await over.json()) as { error: string }).toMatchObject({ error: expect.stringMatching(/too many/) });
    expect(await rowsOf(service.id)).toHaveLength(FEEDBACK_LIMITS.perAddressPerHour);
    expect((await post(service.id, { satisfied: true })).status).toBe(201);
  });
});

describe("the service page's rating form", () => {
  it("records the opinion, keeps the comment on a refusal, and shows the share from the minimum", async () => {
    const { service } = await publicService();
    const refused = await callAction(servicePageAction, `/services/${service.id}`, {
      params: { id: service.id },
      form: { intent: "feedback", comment: "没选满意不满意" },
      clientIp: nextIp(),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ given: false, invalid: true, comment: "没选满意不满意" });

    const given = await callAction(servicePageAction, `/services/${service.id}`, {
      params: { id: service.id },
      form: { intent: "feedback", opinion: "satisfied", comment: "" },
      clientIp: nextIp(),
    });
    expect(given.status).toBe(200);
    expect(await given.json()).toEqual({ intent: "feedback", given: true, replaced: false });
    const browser = browserOf(given);
    const replaced = await callAction(servicePageAction, `/services/${service.id}`, {
      params: { id: service.id },
      form: { intent: "feedback", opinion: "unsatisfied" },
      cookie: browser,
      clientIp: nextIp(),
    });
    expect(await replaced.json()).toMatchObject({ given: true, replaced: true });

    const page = async () =>
      (await (await callLoaderAs(servicePage, `/services/${service.id}`, undefined, { id: service.id })).json()) as {
        satisfaction: { responses: number; satisfied: number; rate: number | null };
        minResponses: number;
      };
    expect(await page()).toMatchObject({ satisfaction: { responses: 1, satisfied: 0, rate: null }, minResponses: 10 });
    await db
      .insert(serviceFeedback)
      .values(Array.from({ length: 9 }, () => ({ serviceId: service.id, communityCode: COMMUNITY, satisfied: true })));
    expect((await page()).satisfaction).toEqual({ responses: 10, satisfied: 9, rate: 0.9 });
  });

  it("a problem report still goes through without an intent", async () => {
    const { service } = await publicService();
    const sent = await callAction(servicePageAction, `/services/${service.id}`, {
      params: { id: service.id },
      form: { kind: "wrong_phone", text: "电话打不通" },
      clientIp: nextIp(),
    });
    expect(await sent.json()).toMatchObject({ reported: true });
  });
});

describe("what is kept, and for how long", () => {
  it("the nightly sweep clears rater keys after 30 days and deletes opinions after 12 months; the figure counts 12 months", async () => {
    const { service } = await publicService();
    const day = 24 * 3600 * 1000;
    const now = new Date();
    const at = (days: number) => new Date(now.getTime() - days * day);
    await db.insert(serviceFeedback).values([
      {
        serviceId: service.id,
        communityCode: COMMUNITY,
        satisfied: true,
        raterKey: `k1-${service.id}`,
        givenAt: at(5),
      },
      {
        serviceId: service.id,
        communityCode: COMMUNITY,
        satisfied: true,
        raterKey: `k2-${service.id}`,
        givenAt: at(31),
      },
      { serviceId: service.id, communityCode: COMMUNITY, satisfied: false, raterKey: null, givenAt: at(300) },
      { serviceId: service.id, communityCode: COMMUNITY, satisfied: false, comment: "旧的", givenAt: at(370) },
    ]);
    expect(await getServiceSatisfaction(service.id, now)).toMatchObject({ responses: 3, satisfied: 2 });
    await sweepFeedback(now);
    const rows = await queryRows<{ rater_key: string | null; days: number }>(
      sql`select rater_key, round(extract(epoch from (${now.toISOString()}::timestamptz - given_at)) / 86400)::int as days
            from service_feedback where service_id = ${service.id} order by given_at desc`,
    );
    expect(rows).toEqual([
      { rater_key: `k1-${service.id}`, days: 5 },
      { rater_key: null, days: 31 },
      { rater_key: null, days: 300 },
    ]);
  });
});
