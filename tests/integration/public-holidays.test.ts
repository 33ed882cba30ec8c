import type { LoaderFunctionArgs } from "@remix-run/node";

import { loader as rootLoader } from "~/root";
import { loader as getService } from "~/routes/api.v1.services.$id";

import { createFacility, createService } from "../../db/queries/listings.server";
import { createTestUser } from "../utils/accounts";

// "Open now" on the server follows China's calendar: the API says closed on National Day and open
// on a make-up working Sunday, and the root layout hands the browser the days around now.

const COMMUNITY = "370102001002";
const WEEKDAYS = ["08:00-11:30", "13:30-17:30"];
let serviceId: string;
let ip = 1;

beforeAll(async () => {
  const user = await createTestUser({ role: "community_staff", regionCode: COMMUNITY });
  const facility = await createFacility({ userId: user.id }, COMMUNITY, {
    name: "社区老年食堂",
    type: "elderly_canteen",
    address: "",
    lat: 36.6651,
    lng: 117.0403,
    openingHours: { week: { "1": WEEKDAYS, "2": WEEKDAYS, "3": WEEKDAYS, "4": WEEKDAYS, "5": WEEKDAYS } },
  });
  serviceId = (await createService({ userId: user.id }, facility.id, {
    name: "助餐",
    category: "elderly_care",
    description: "",
    residentsOnly: false,
  }))!.id;
});

afterEach(() => {
  vi.useRealTimers();
});

/** the API's answer with the clock at `local` China time (only Date is faked: the database runs on) */
async function openNowAt(local: string) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(`${local.replace(" ", "T")}:00+08:00`));
  const request = new Request(`http://localhost/api/v1/services/${serviceId}`);
  const response = (await getService({
    request,
    params: { id: serviceId },
    context: { clientIp: `100.64.13.${ip++}` },
  } as LoaderFunctionArgs)) as Response;
  vi.useRealTimers();
  expect(response.status).toBe(200);
  return ((await response.json()) as { openNow: boolean | null }).openNow;
}

describe("open now on China's calendar, through the API", () => {
  it("is open on an ordinary Wednesday morning and closed on National Day 2026, a Thursday", async () => {
    expect(await openNowAt("2026-09-30 10:00")).toBe(true);
    expect(await openNowAt("2026-10-01 10:00")).toBe(false);
  });

  it("is open on the make-up working Sunday before it (2026-09-20) and closed on an ordinary Sunday", async () => {
    expect(await openNowAt("2026-09-20 10:00")).toBe(true);
    expect(await openNowAt("2026-09-13 10:00")).toBe(false);
  });

  it("is closed on the Spring Festival's Monday 2026 and its Friday 2025", async () => {
    expect(await openNowAt("2026-02-16 10:00")).toBe(false);
    expect(await openNowAt("2025-01-31 10:00")).toBe(false);
  });
});

describe("the root layout", () => {
  it("hands the browser the special days around now, with their names", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-09-28T02:00:00Z"));
    const response = await rootLoader({
      request: new Request("http://localhost/"),
      params: {},
      context: { clientIp: "127.0.0.1" },
    } as LoaderFunctionArgs);
    vi.useRealTimers();
    const data = (await response.json()) as { publicCalendar: Record<string, { kind: string; name: { zh: string } }> };
    expect(data.publicCalendar["2026-10-01"]).toEqual({ kind: "holiday", name: { en: "National Day", zh: "国庆节" } });
    expect(data.publicCalendar["2026-10-10"]).toMatchObject({ kind: "workday" });
    // only the window leaves the server, never the whole dataset
    expect(Object.keys(data.publicCalendar).every((d) => d >= "2026-09-27" && d <= "2026-10-14")).toBe(true);
  });
});
