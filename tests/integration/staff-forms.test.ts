import { readFileSync } from "node:fs";

import * as facilityPage from "~/routes/manage.facilities.$id._index";
import * as servicePage from "~/routes/manage.services.$id";

import { createFacility, createService } from "../../db/queries/listings.server";
import { createTestUser, sessionCookieFor } from "../utils/accounts";
import { renderPage, textOf } from "../utils/render-page";

// Issue 16, part 6: the staff's listing forms as new users read them.

const COMMUNITY = "370102001002";

async function fixture() {
  const user = await createTestUser({ role: "community_staff", regionCode: COMMUNITY });
  const { cookie } = await sessionCookieFor(user.id);
  const facility = await createFacility({ userId: user.id }, COMMUNITY, {
    name: "老年食堂",
    type: "elderly_canteen",
    address: "",
    lat: 36.6651,
    lng: 117.0403,
  });
  const service = await createService({ userId: user.id }, facility.id, {
    name: "助餐",
    category: "elderly_care",
    subType: "meal_assistance",
    description: "",
    residentsOnly: false,
  });
  return { cookie, facility, service: service! };
}

const headings = (html: string) => [...html.matchAll(/<h[12][^>]*>(.*?)<\/h[12]>/g)].map((m) => textOf(m[1]).trim());

describe("the listing forms' headings", () => {
  it("name the form (编辑设施, 编辑服务), never the save button's 保存", async () => {
    const { cookie, facility, service } = await fixture();
    const facilityHtml = (
      await renderPage(facilityPage, "/manage/facilities/:id", `/manage/facilities/${facility.id}`, { cookie })
    ).html;
    expect(headings(facilityHtml)).toContain("编辑设施");
    expect(headings(facilityHtml)).not.toContain("保存");
    const serviceHtml = (
      await renderPage(servicePage, "/manage/services/:id", `/manage/services/${service.id}`, { cookie })
    ).html;
    expect(headings(serviceHtml)).toContain("编辑服务");
    expect(headings(serviceHtml)).not.toContain("保存");
    const english = (
      await renderPage(facilityPage, "/manage/facilities/:id", `/manage/facilities/${facility.id}`, {
        cookie,
        locale: "en",
      })
    ).html;
    expect(headings(english)).toContain("Edit facility");
  });
});

describe("the weekly hours", () => {
  const dayInputs = (html: string) => [...html.matchAll(/<input[^>]*name="[^"]*week\.[1-7]"[^>]*>/g)].map((m) => m[0]);

  it("an empty day reads as closed (a facility) or as the facility's hours (a service), never as sample hours", async () => {
    const { cookie, facility, service } = await fixture();
    const facilityHtml = (
      await renderPage(facilityPage, "/manage/facilities/:id", `/manage/facilities/${facility.id}`, { cookie })
    ).html;
    const days = dayInputs(facilityHtml);
    expect(days).toHaveLength(7);
    for (const input of days) {
      expect(input).toContain('placeholder="不营业（留空）"');
      expect(input).not.toMatch(/placeholder="[^"]*\d\d:\d\d/);
      expect(input).toContain('class="hours-input"');
      // the hint with the format example is read with each day
      expect(input).toMatch(/aria-describedby="[^"]*hours-help/);
    }
    const serviceDays = dayInputs(
      (await renderPage(servicePage, "/manage/services/:id", `/manage/services/${service.id}`, { cookie })).html,
    );
    expect(serviceDays).toHaveLength(7);
    for (const input of serviceDays) {
      expect(input).toContain('placeholder="按设施开放时间（留空）"');
      expect(input).not.toMatch(/placeholder="[^"]*\d\d:\d\d/);
    }
  });

  it("are wide enough to read (the stylesheet sizes the day fields)", () => {
    const css = readFileSync("app/styles/app.css", "utf8");
    const rule = /\.hours-input \{([^}]*)\}/.exec(css)?.[1] ?? "";
    expect(rule).toMatch(/width: 100%/);
    expect(rule).toMatch(/max-width: 2\d(\.\d+)?rem/);
    expect(rule).toMatch(/min-height: 40px/);
  });
});
