// Fixtures the authorization matrix shares with the case files of each page group.
import type { Role } from "../../../db/identifiers";
import { createFacility, createService } from "../../../db/queries/listings.server";
import { createTestUser } from "../accounts";

/**
 * Who may call a route: anyone; anyone signed in; officials in scope (manage_users, review);
 * anyone with edit in scope; the province admin in scope (configure), or anywhere for settings
 * that have no region (configure_unscoped); nobody (an address that mutates nothing: the API's 404).
 */
export type Access =
  "public" | "signed_in" | "manage_users" | "review" | "edit" | "configure" | "configure_unscoped" | "nobody";
export type Scope = "in" | "out";
export type Actor = { role: Role; regionCode: string; userId: string; username: string; cookie: string };
export type Prepared = {
  url: string;
  params?: Record<string, string>;
  form?: Record<string, string>;
  json?: unknown;
  multipart?: FormData;
  method?: string;
};

/** each role's home region, and a region of the same level outside it ("out" for the province admin: not in Shandong) */
export const HOME: Record<Role, { in: string; out: string }> = {
  community_staff: { in: "370102001002", out: "370103002001" },
  district_official: { in: "370102", out: "370103" },
  city_official: { in: "3701", out: "3702" },
  province_admin: { in: "37", out: "11" },
};

/** the role an actor of each role would manage, and where, in and out of their scope */
export const MANAGED: Record<Role, { role: Role; in: string; out: string }> = {
  community_staff: { role: "community_staff", in: "370102001002", out: "370103002001" },
  district_official: { role: "community_staff", in: "370102001002", out: "370103002001" },
  city_official: { role: "district_official", in: "370102", out: "370202" },
  province_admin: { role: "city_official", in: "3701", out: "1101" },
};

/** a community each role may edit, one it may not (for the province admin: not in Shandong), and a point in each */
export const EDITED: Record<Role, Record<Scope, { code: string; lat: number; lng: number }>> = {
  community_staff: {
    in: { code: "370102001002", lat: 36.6651, lng: 117.0403 },
    out: { code: "370103002001", lat: 36.651, lng: 116.99 },
  },
  district_official: {
    in: { code: "370102001002", lat: 36.6651, lng: 117.0403 },
    out: { code: "370103002001", lat: 36.651, lng: 116.99 },
  },
  city_official: {
    in: { code: "370102001002", lat: 36.6651, lng: 117.0403 },
    out: { code: "370202001001", lat: 36.063, lng: 120.385 },
  },
  province_admin: {
    in: { code: "370202001001", lat: 36.063, lng: 120.385 },
    out: { code: "110101001001", lat: 39.9087, lng: 116.3975 },
  },
};

export async function facilityIn(role: Role | undefined, scope: Scope) {
  const target = EDITED[role ?? "community_staff"][scope];
  if (!target.code.startsWith("37")) return { id: "no-such-facility", serviceId: "no-such-service" };
  const fixtureOwner = await createTestUser({ role: "province_admin", regionCode: "37" });
  const facility = await createFacility({ userId: fixtureOwner.id }, target.code, {
    name: "矩阵测试设施",
    type: "elderly_day_care",
    address: "",
    lat: target.lat,
    lng: target.lng,
  });
  const service = await createService({ userId: fixtureOwner.id }, facility.id, {
    name: "助餐",
    category: "elderly_care",
    description: "",
    residentsOnly: false,
  });
  return { id: facility.id, serviceId: service!.id };
}

export type MatrixCase = {
  access: Access;
  audited: boolean;
  prepare: (actor: Actor | null, scope: Scope) => Promise<Prepared>;
};
