import { readFileSync } from "node:fs";

import { action as createServiceApi } from "~/routes/api.v1.facilities.$id.services";
import * as facilityPage from "~/routes/manage.facilities.$id._index";
import * as newServicePage from "~/routes/manage.facilities.$id.services.new";
import * as servicePage from "~/routes/manage.services.$id";

import { createFacility, createService } from "../../db/queries/listings.server";
import { createTestUser, sessionCookieFor } from "../utils/accounts";
import { renderPage, textOf } from "../utils/render-page";
import { callAction } from "../utils/routes";

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

describe("the sub-type", () => {
  /** the sub-type select's options as [value, label, group] */
  const subTypeOptions = (html: string) => {
    const select = /<select[^>]*name="subType"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] ?? "";
    const options: [string, string, string | null][] = [];
    let group: string | null = null;
    for (const m of select.matchAll(/<optgroup label="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*>([^<]*)<\/option>/g)) {
      if (m[1] !== undefined) group = m[1];
      else options.push([m[2], m[3], group]);
    }
    return options;
  };
  const selectedSubType = (html: string) =>
    /<select[^>]*name="subType"[^>]*>[\s\S]*?<option[^>]*value="([^"]*)"[^>]*selected[^>]*>/.exec(html)?.[1] ?? null;

  it("offers the chosen category's sub-types by their labels, and all of them grouped before one is chosen", async () => {
    const { cookie, facility, service } = await fixture();
    const edit = (await renderPage(servicePage, "/manage/services/:id", `/manage/services/${service.id}`, { cookie }))
      .html;
    expect(subTypeOptions(edit)).toEqual([
      ["", "—", null],
      ["meal_assistance", "助餐", null],
      ["day_care", "日间照料", null],
      ["home_visit", "上门服务", null],
      ["health_check", "健康检查", null],
      ["rehabilitation", "康复护理", null],
    ]);
    expect(selectedSubType(edit)).toBe("meal_assistance");
    // no free-text field that would show (and take) the identifier
    expect(edit).not.toMatch(/<input[^>]*name="subType"/);

    // a facility that is not for the elderly: no category yet, every category's sub-types under its name
    const hall = await createFacility({ userId: (await createTestUser()).id }, COMMUNITY, {
      name: "党群服务中心",
      type: "party_service_center",
      address: "",
      lat: 36.6651,
      lng: 117.0403,
    });
    const blank = (
      await renderPage(
        newServicePage,
        "/manage/facilities/:id/services/new",
        `/manage/facilities/${hall.id}/services/new`,
        {
          cookie,
        },
      )
    ).html;
    const grouped = subTypeOptions(blank);
    expect(grouped).toContainEqual(["party_activities", "党建活动", "党建特色"]);
    expect(grouped).toContainEqual(["meal_assistance", "助餐", "养老服务"]);
    expect(grouped).toContainEqual(["family_doctor", "家庭医生", "卫生健康"]);
    expect(grouped.every(([value, label]) => value === "" || label !== value)).toBe(true);
    expect(facility.id).toBeTruthy();
  });

  it("refuses a sub-type of another category on the page and through the API, keeping what was chosen", async () => {
    const { cookie, facility, service } = await fixture();
    const refused = await renderPage(servicePage, "/manage/services/:id", `/manage/services/${service.id}`, {
      cookie,
      form: { intent: "save", version: "1", name: "助餐", category: "entrepreneurship", subType: "meal_assistance" },
    });
    expect(refused.status).toBe(400);
    expect(textOf(refused.html)).toContain("这个子类不属于所选类别，请从列表中选择");
    // the page comes back on the category chosen, with that category's sub-types
    expect(refused.html).toMatch(/<option value="entrepreneurship" selected="">/);
    expect(subTypeOptions(refused.html).map(([value]) => value)).toEqual([
      "",
      "incubation",
      "training",
      "startup_loan_guidance",
      "job_matching",
      "policy_consultation",
    ]);

    const api = await callAction(createServiceApi, `/api/v1/facilities/${facility.id}/services`, {
      cookie,
      params: { id: facility.id },
      json: { name: "阅读", category: "elderly_care", subType: "reading_room" },
    });
    expect(api.status).toBe(422);
    expect((await api.json()).fields).toEqual({ subType: expect.stringMatching(/subTypeNotOfCategory|category/) });
    const free = await callAction(createServiceApi, `/api/v1/facilities/${facility.id}/services`, {
      cookie,
      params: { id: facility.id },
      json: { name: "阅读", category: "culture_education", subType: "读书会" },
    });
    expect(free.status).toBe(422);
    const shared = await callAction(createServiceApi, `/api/v1/facilities/${facility.id}/services`, {
      cookie,
      params: { id: facility.id },
      json: { name: "咨询", category: "party_building", subType: "policy_consultation" },
    });
    expect(shared.status).toBe(201);
  });
});
