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
