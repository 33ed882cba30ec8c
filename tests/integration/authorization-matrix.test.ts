// Every route that mutates (has an action), found from Remix's own route manifest, is called by
// each role in scope and out of scope, and anonymously. The expectation comes from the policy
// below, not from the route: a new mutating route fails here until it is given a case, and a
// route that forgets its guard fails as an escape. Every route with a loader is likewise either in
// the list of public loaders or refuses a GET from anonymous and out-of-scope readers.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { readFileSync } from "node:fs";

import { type Role, ROLES } from "../../db/identifiers";
import { auditCount, createTestUser, sessionCookieFor, TEST_PASSWORD } from "../utils/accounts";
import { assessmentCases, dutyCases, prepareDutyCase } from "../utils/authorization-cases/assessment";
import { coverageCases } from "../utils/authorization-cases/coverage";
import { feedbackAnswersCases } from "../utils/authorization-cases/feedback-answers";
import { freshnessCases } from "../utils/authorization-cases/freshness";
import { livingCircleCases } from "../utils/authorization-cases/living-circle";
import { loaderCases, publicLoaders } from "../utils/authorization-cases/loaders";
import {
  EDITED,
  facilityIn,
  HOME,
  MANAGED,
  type Access,
  type Actor,
  type MatrixCase,
  type Scope,
} from "../utils/authorization-cases/shared";
import { mutatingRoutes, readingRoutes } from "../utils/route-manifest";
import { callAction, callLoaderAs } from "../utils/routes";

let ipCounter = 0;
const nextIp = () => `198.51.100.${(ipCounter++ % 250) + 1}`;

const cases: Record<string, MatrixCase> = {
  ...assessmentCases,
  ...livingCircleCases,
  ...coverageCases,
  ...freshnessCases,
  ...feedbackAnswersCases,
  "routes/login": {
    access: "public",
    audited: true,
    prepare: async () => {
      const user = await createTestUser({ role: "community_staff", regionCode: "370102001002" });
      return { url: "/login", form: { username: user.username, password: TEST_PASSWORD } };
    },
  },
  // any method to an unknown /api/ address: JSON 404 for everyone, nothing written
  "routes/api.$": {
    access: "nobody",
    audited: false,
    prepare: async () => ({ url: "/api/v1/nope", params: { "*": "v1/nope" }, json: { name: "x" } }),
  },
  "routes/logout": {
    access: "public",
    audited: false,
    prepare: async () => ({ url: "/logout", form: {} }),
  },
  "routes/preferences.locale": {
    access: "public",
    audited: false,
    prepare: async () => ({ url: "/preferences/locale", form: { locale: "en", redirectTo: "/" } }),
  },
  // a resident's opinion: anyone, no account; audited without an actor
  "routes/api.v1.services.$id.feedback": {
    access: "public",
    audited: true,
    prepare: async () => {
      const { serviceId } = await facilityIn("community_staff", "in");
      return { url: `/api/v1/services/${serviceId}/feedback`, params: { id: serviceId }, json: { satisfied: true } };
    },
  },
  "routes/_resident.services.$id": {
    access: "public",
    audited: true,
    prepare: async () => {
      const { serviceId } = await facilityIn("community_staff", "in");
      return {
        url: `/services/${serviceId}`,
        params: { id: serviceId },
        form: { kind: "wrong_phone", text: "电话打不通" },
      };
    },
  },
  "routes/preferences.display": {
    access: "public",
    audited: false,
    prepare: async () => ({ url: "/preferences/display", form: { largeText: "on", redirectTo: "/" } }),
  },
  "routes/account._index": {
    access: "signed_in",
    audited: true,
    prepare: async () => ({ url: "/account", form: { intent: "preferences", locale: "en", largeText: "on" } }),
  },
  "routes/account.password": {
    access: "signed_in",
    audited: true,
    prepare: async () => ({
      url: "/account/password",
      form: {
        currentPassword: TEST_PASSWORD,
        newPassword: "a brand new password",
        confirmPassword: "a brand new password",
      },
    }),
  },
  // one's own notifications: any account may mark them, and it is not audited (routes/notifications.tsx)
  "routes/notifications": {
    access: "signed_in",
    audited: false,
    prepare: async () => ({ url: "/notifications", form: { intent: "read_all" } }),
  },
  "routes/api.v1.facilities": {
    access: "edit",
    audited: true,
    prepare: async (actor, scope) => {
      const target = EDITED[actor?.role ?? "community_staff"][scope];
      return {
        url: "/api/v1/facilities",
        json: {
          communityCode: target.code,
          name: "新日间照料中心",
          type: "elderly_day_care",
          lat: target.lat,
          lng: target.lng,
        },
      };
    },
  },
  "routes/api.v1.facilities.$id": {
    access: "edit",
    audited: true,
    prepare: async (actor, scope) => {
      const { id } = await facilityIn(actor?.role, scope);
      return {
        url: `/api/v1/facilities/${id}`,
        params: { id },
        method: "PATCH",
        json: { version: 1, phone: "0531-12345678" },
      };
    },
  },
  "routes/api.v1.facilities.$id.services": {
    access: "edit",
    audited: true,
    prepare: async (actor, scope) => {
      const { id } = await facilityIn(actor?.role, scope);
      return {
        url: `/api/v1/facilities/${id}/services`,
        params: { id },
        json: { name: "上门服务", category: "elderly_care" },
      };
    },
  },
  "routes/api.v1.services.$id": {
    access: "edit",
    audited: true,
    prepare: async (actor, scope) => {
      const { serviceId } = await facilityIn(actor?.role, scope);
      return {
        url: `/api/v1/services/${serviceId}`,
        params: { id: serviceId },
        method: "PATCH",
        json: { version: 1, fee: "免费" },
      };
    },
  },
  "routes/manage.$code._index": {
    access: "edit",
    audited: true,
    prepare: async (actor, scope) => {
      const { code } = EDITED[actor?.role ?? "community_staff"][scope];
      return {
        url: `/manage/${code}`,
        params: { code },
        form: { intent: "update_profile", households: "1200", population: "3000", population60: "600" },
      };
    },
  },
  "routes/manage.$code.facilities.new": {
    access: "edit",
    audited: true,
    prepare: async (actor, scope) => {
      const { code, lat, lng } = EDITED[actor?.role ?? "community_staff"][scope];
      return {
        url: `/manage/${code}/facilities/new`,
        params: { code },
        form: {
          intent: "save",
          name: "新老年食堂",
          type: "elderly_canteen",
          lat: String(lat),
          lng: String(lng),
          "openingHours.week.1": "11:00-13:00",
        },
      };
    },
  },
  "routes/manage.facilities.$id._index": {
    access: "edit",
    audited: true,
    prepare: async (actor, scope) => {
      const { id } = await facilityIn(actor?.role, scope);
      return { url: `/manage/facilities/${id}`, params: { id }, form: { intent: "verify", version: "1" } };
    },
  },
  "routes/manage.facilities.$id.services.new": {
    access: "edit",
    audited: true,
    prepare: async (actor, scope) => {
      const { id } = await facilityIn(actor?.role, scope);
      return {
        url: `/manage/facilities/${id}/services/new`,
        params: { id },
        form: { name: "助浴", category: "elderly_care" },
      };
    },
  },
  "routes/manage.services.$id": {
    access: "edit",
    audited: true,
    prepare: async (actor, scope) => {
      const { serviceId } = await facilityIn(actor?.role, scope);
      return {
        url: `/manage/services/${serviceId}`,
        params: { id: serviceId },
        form: { intent: "suspend", version: "1" },
      };
    },
  },
  "routes/manage.import": {
    access: "edit",
    audited: true,
    prepare: async (actor, scope) => {
      const { code, lat, lng } = EDITED[actor?.role ?? "community_staff"][scope];
      const csv = `facility_ref,community_code,facility_name,facility_type,lat,lng,service_name,category\nF1,${code},导入的站点,elderly_service_station,${lat},${lng},助餐,elderly_care\n`;
      const multipart = new FormData();
      multipart.set("file", new File([csv], "listings.csv", { type: "text/csv" }));
      return { url: "/manage/import", multipart };
    },
  },
  "routes/admin.users._index": {
    access: "manage_users",
    audited: true,
    prepare: async (actor, scope) => {
      const managed = MANAGED[actor?.role ?? "district_official"];
      return {
        url: "/admin/users",
        form: {
          username: `new-${ipCounter}-${Date.now()}`,
          displayName: "新账号",
          role: managed.role,
          regionCode: managed[scope],
        },
      };
    },
  },
  "routes/admin.users.$userId": {
    access: "manage_users",
    audited: true,
    prepare: async (actor, scope) => {
      const managed = MANAGED[actor?.role ?? "district_official"];
      const target =
        actor?.role === "province_admin" && scope === "out"
          ? { id: "no-such-account" }
          : await createTestUser({ role: managed.role, regionCode: managed[scope] });
      return { url: `/admin/users/${target.id}`, params: { userId: target.id }, form: { intent: "disable" } };
    },
  },
};

function expected(access: Access, role: Role | null, scope: Scope): "allowed" | "denied" {
  if (access === "public") return "allowed";
  if (access === "nobody") return "denied";
  if (role === null) return "denied";
  if (access === "signed_in") return "allowed";
  if (access === "edit") return scope === "in" ? "allowed" : "denied";
  // province-wide settings: the province admin's "out" is a region outside Shandong, where present
  if (access === "configure") return role === "province_admin" && scope === "in" ? "allowed" : "denied";
  if (access === "configure_unscoped") return role === "province_admin" ? "allowed" : "denied";
  // manage_users and review: the officials, in scope
  const manages = role !== "community_staff";
  return manages && scope === "in" ? "allowed" : "denied";
}

function outcome(response: Response, anonymous: boolean): "allowed" | "denied" {
  const location = response.headers.get("Location") ?? "";
  if (anonymous && (response.status === 401 || location.startsWith("/login"))) return "denied";
  if (response.status >= 400) return "denied";
  return "allowed";
}

describe("authorization matrix", () => {
  it("covers every mutating route × every role × in/out of scope, and anonymous, with no escape", async () => {
    const routes = await mutatingRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(7);
    const missing = routes.filter((r) => !cases[r.id]).map((r) => r.id);
    expect(missing, "mutating routes without a matrix case").toEqual([]);

    const escapes: string[] = [];
    let runs = 0;
    for (const route of routes) {
      const { action } = (await import(/* @vite-ignore */ route.file)) as {
        action: (args: ActionFunctionArgs) => Promise<Response>;
      };
      const routeCase = cases[route.id];
      const runs_: { role: Role | null; scope: Scope }[] = [
        ...ROLES.flatMap((role) => (["in", "out"] as const).map((scope) => ({ role, scope }))),
        { role: null, scope: "in" },
      ];
      for (const { role, scope } of runs_) {
        let actor: Actor | null = null;
        if (role) {
          const regionCode = HOME[role].in;
          const user = await createTestUser({ role, regionCode });
          const { cookie } = await sessionCookieFor(user.id);
          actor = { role, regionCode, userId: user.id, username: user.username, cookie };
        }
        const prepared = await routeCase.prepare(actor, scope);
        const auditBefore = await auditCount();
        const response = await callAction(action, prepared.url, {
          params: prepared.params,
          form: prepared.form,
          json: prepared.json,
          multipart: prepared.multipart,
          method: prepared.method,
          cookie: actor?.cookie,
          clientIp: nextIp(),
        });
        runs++;
        const got = outcome(response, role === null);
        const want = expected(routeCase.access, role, scope);
        const label = `${route.id} as ${role ?? "anonymous"} (${scope} of scope): expected ${want}, got ${got} (${response.status})`;
        if (got !== want) escapes.push(label);
        if (got === "denied" && response.status >= 500) escapes.push(`${label}: a 5xx is not a refusal`);
        const audited = (await auditCount()) > auditBefore;
        if (want === "allowed" && routeCase.audited && !audited) escapes.push(`${label}: not audited`);
        if (got === "denied" && audited) escapes.push(`${label}: refused but wrote an audit entry`);
      }
    }
    expect(escapes).toEqual([]);
    expect(runs).toBeGreaterThanOrEqual(routes.length * (4 * 2 + 1));
  });
});

describe("authorization matrix: separation of duties", () => {
  it("refuses the approval of the submitter and of whoever changed the listings after submission; an uninvolved official in scope may", async () => {
    const { action } = await import("~/routes/review.$id");
    const escapes: string[] = [];
    for (const dutyCase of dutyCases) {
      const prepared = await prepareDutyCase(dutyCase);
      const auditBefore = await auditCount();
      const response = await callAction(action, prepared.url, {
        params: prepared.params,
        form: prepared.form,
        cookie: prepared.cookie,
        clientIp: nextIp(),
      });
      const got = outcome(response, false);
      const label = `${dutyCase.label}: expected ${dutyCase.want}, got ${got} (${response.status})`;
      if (got !== dutyCase.want) escapes.push(label);
      if (got === "denied" && response.status !== 403) escapes.push(`${label}: a refusal on duty is a 403`);
      const audited = (await auditCount()) > auditBefore;
      if (got === "allowed" && !audited) escapes.push(`${label}: not audited`);
      if (got === "denied" && audited) escapes.push(`${label}: refused but wrote an audit entry`);
    }
    expect(escapes).toEqual([]);
    expect(dutyCases.map((c) => c.want)).toEqual(["denied", "denied", "allowed", "allowed"]);
  });
});

describe("authorization matrix: loaders", () => {
  it("every route with a loader is marked public, or refuses a GET from anonymous and out-of-scope readers", async () => {
    const reading = await readingRoutes();
    const marked = reading.filter((r) => isMarkedPublic(r.file) || r.id === "root").map((r) => r.id);
    expect(marked.sort(), "loaders marked public").toEqual([...publicLoaders].sort());
    const routes = reading.filter((r) => !marked.includes(r.id));
    expect(routes.length).toBeGreaterThanOrEqual(25);
    const missing = routes.filter((r) => !loaderCases[r.id]).map((r) => r.id);
    expect(missing, "guarded loaders without a matrix case").toEqual([]);

    const escapes: string[] = [];
    for (const route of routes) {
      const { loader } = (await import(/* @vite-ignore */ route.file)) as {
        loader: (args: LoaderFunctionArgs) => Promise<Response>;
      };
      const loaderCase = loaderCases[route.id];
      const target = loaderCase.reader === "signed_in" ? { url: loaderCase.url } : await loaderCase.prepare();
      const anonymous = await callLoaderAs(loader, target.url, undefined, target.params);
      const location = anonymous.headers.get("Location") ?? "";
      if (!(anonymous.status === 401 || (anonymous.status === 302 && location.startsWith("/login")))) {
        escapes.push(`${route.id} as anonymous: expected 401 or a redirect to /login, got ${anonymous.status}`);
      }
      if (loaderCase.reader === "signed_in") continue;
      const user = await createTestUser({ role: loaderCase.outsider, regionCode: HOME[loaderCase.outsider].in });
      const { cookie } = await sessionCookieFor(user.id);
      const outsider = await callLoaderAs(loader, target.url, cookie, target.params);
      if (outsider.status !== 403 && outsider.status !== 404) {
        escapes.push(`${route.id} as ${loaderCase.outsider} out of scope: expected 403 or 404, got ${outsider.status}`);
      }
    }
    expect(escapes).toEqual([]);
  });
});

/** A loader whose first statement is `publicRoute()` (route-guards.test.ts checks every first statement). */
function isMarkedPublic(file: string) {
  return /export\s+(async\s+)?function\s+loader\([^)]*\)[^{]*\{\s*publicRoute\(\)/.test(readFileSync(file, "utf8"));
}
