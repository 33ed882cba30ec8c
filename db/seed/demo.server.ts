// The demo data set: generated points and population figures for every township and village-level
// unit, facilities with services, approved (and a few revoked or pending) assessments and four
// demo accounts. Deterministic: every value comes from a PRNG seeded by a fixed string and the
// region code, so two loads give the same rows. Everything written here is labelled is_demo.
import { hash } from "@node-rs/argon2";
import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import { sql } from "drizzle-orm";
import type { MultiPolygon, Polygon } from "geojson";

import { chinaDate } from "../../app/domains/listings/open-now";
import { zhCN } from "../../app/i18n/zh-CN";
import { db, queryRows, type Database } from "../client.server";
import { env } from "../env.server";
import { toStoredCode, type FacilityType, type Role, type ServiceCategory } from "../identifiers";
import type { AssessmentIndicatorValue, Eligibility, OpeningHours, StandardIndicator } from "../schema";
import { mulberry32 } from "./random";
import {
  readCityBoundaries,
  readCountyBoundaries,
  readDivisions,
  type BoundaryCollection,
  type DivisionsFile,
} from "./reference-data.server";

const SEED = "shequ-demo-v1";
const CHUNK = 20_000;
/** the demo staff community: it gets no assessment, so a test can submit one */
const STAFF_COMMUNITY = "370102001002";

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

function hashString(text: string): number {
  // FNV-1a, 32 bit
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

class Rng {
  /** uniform in [0, 1) */
  readonly next: () => number;
  constructor(key: string) {
    this.next = mulberry32(hashString(`${SEED}:${key}`));
  }
  between(min: number, max: number) {
    return min + (max - min) * this.next();
  }
  /** integer in [min, max], both included */
  int(min: number, max: number) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number) {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1][0];
  }
  /** `count` distinct values, drawn by weight */
  weightedDistinct<T>(entries: readonly (readonly [T, number])[], count: number): T[] {
    const left = [...entries];
    const out: T[] = [];
    while (out.length < count && left.length > 0) {
      const value = this.weighted(left);
      out.push(value);
      left.splice(
        left.findIndex(([v]) => v === value),
        1,
      );
    }
    return out;
  }
  /** standard normal (Box–Muller) */
  gaussian() {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

const rngFor = (purpose: string, code: string) => new Rng(`${purpose}:${code}`);

// ---------------------------------------------------------------------------------------------
// Geometry

type LngLat = [number, number];
type Area = {
  geometry: Polygon | MultiPolygon;
  bbox: [number, number, number, number];
};

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const KM_PER_DEG_LAT = 110.574;
const kmPerDegLng = (lat: number) => 111.32 * Math.cos((lat * Math.PI) / 180);

function toArea(geometry: Polygon | MultiPolygon): Area {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const rings = geometry.type === "Polygon" ? [geometry.coordinates[0]] : geometry.coordinates.map((p) => p[0]);
  for (const ring of rings) {
    for (const [x, y] of ring) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  }
  return { geometry, bbox: [minX, minY, maxX, maxY] };
}

function inside(area: Area, [x, y]: LngLat) {
  const [minX, minY, maxX, maxY] = area.bbox;
  if (x < minX || x > maxX || y < minY || y > maxY) return false;
  return booleanPointInPolygon([x, y], area.geometry, { ignoreBoundary: true });
}

/** rejection sampling: the first generated point (rounded to 6 decimals) inside the area */
function sampleInside(area: Area, generate: () => LngLat, tries: number): LngLat | null {
  for (let i = 0; i < tries; i++) {
    const [x, y] = generate();
    const p: LngLat = [round6(x), round6(y)];
    if (inside(area, p)) return p;
  }
  return null;
}

/** uniform in a box of half-size (hw, hh) degrees around a centre, inside the area */
function nearUniform(area: Area, rng: Rng, centre: LngLat, hw: number, hh: number, tries = 200) {
  return sampleInside(area, () => [centre[0] + rng.between(-hw, hw), centre[1] + rng.between(-hh, hh)], tries);
}

function anywhere(area: Area, rng: Rng): LngLat {
  const [minX, minY, maxX, maxY] = area.bbox;
  const p = sampleInside(area, () => [rng.between(minX, maxX), rng.between(minY, maxY)], 10_000);
  if (!p) throw new Error("demo data: could not place a point in a boundary");
  return p;
}

/** gaussian scatter (sigma in km) around a centre, inside the area; the centre after `tries` misses */
function scatter(area: Area, rng: Rng, centre: LngLat, sigmaKm: number, tries = 24): LngLat {
  const sx = sigmaKm / kmPerDegLng(centre[1]);
  const sy = sigmaKm / KM_PER_DEG_LAT;
  return sampleInside(area, () => [centre[0] + rng.gaussian() * sx, centre[1] + rng.gaussian() * sy], tries) ?? centre;
}

/** a point at a distance in [minM, maxM] metres from the centre, inside the area if it can be */
function offsetMetres(area: Area, rng: Rng, centre: LngLat, minM: number, maxM: number): LngLat {
  const kx = kmPerDegLng(centre[1]) * 1000;
  const ky = KM_PER_DEG_LAT * 1000;
  const p = sampleInside(
    area,
    () => {
      const r = rng.between(minM, maxM);
      const a = rng.between(0, 2 * Math.PI);
      return [centre[0] + (r * Math.cos(a)) / kx, centre[1] + (r * Math.sin(a)) / ky];
    },
    8,
  );
  return p ?? centre;
}

// ---------------------------------------------------------------------------------------------
// Names, phones, times

const COMMITTEE_SUFFIX = /(居民委员会|居委会|居民委员|居民委会|居委|居会|村民委员会|村民委会|村民委员|村委会|委员会)$/;

/** 解放桥社区居民委员会 → 解放桥社区, 王家庄村民委员会 → 王家庄村 */
function shortName(name: string, kind: "community" | "village"): string {
  const stripped = name.replace(COMMITTEE_SUFFIX, "") || name;
  if (kind === "community") return /(社区|区|村|苑|园)$/.test(stripped) ? stripped : `${stripped}社区`;
  return /(村|社区|区)$/.test(stripped) ? stripped : `${stripped}村`;
}

/** Area codes by city (significant digits); Jinan and Qingdao have 8-digit local numbers. */
const AREA_CODES: Record<string, string> = {
  "3701": "0531",
  "3702": "0532",
  "3703": "0533",
  "3704": "0632",
  "3705": "0546",
  "3706": "0535",
  "3707": "0536",
  "3708": "0537",
  "3709": "0538",
  "3710": "0631",
  "3711": "0633",
  "3713": "0539",
  "3714": "0534",
  "3715": "0635",
  "3716": "0543",
  "3717": "0530",
};

function phoneFor(rng: Rng, cityCode: string) {
  const area = AREA_CODES[cityCode] ?? "0531";
  const digits = area === "0531" || area === "0532" ? 7 : 6;
  let local = rng.pick(["8", "8", "6", "5"]);
  for (let i = 0; i < digits; i++) local += String(rng.int(0, 9));
  return `${area}-${local}`;
}

/** milliseconds of a China Standard Time (UTC+8) wall-clock moment */
const cst = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h - 8, min);
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** a day in [from, to) (skew < 1 favours later days), at office hours (09:00–17:59 CST) */
function officeMoment(rng: Rng, from: number, to: number, skew = 1) {
  const day = Math.floor((from + Math.pow(rng.next(), skew) * (to - from) - cst(1970, 1, 1)) / DAY);
  return cst(1970, 1, 1) + day * DAY + rng.int(9 * 60, 17 * 60 + 59) * 60_000;
}

// ---------------------------------------------------------------------------------------------
// Facilities and services

const URBAN_FACILITY_TYPES: readonly (readonly [FacilityType, number])[] = [
  ["elderly_day_care", 18],
  ["elderly_canteen", 16],
  ["elderly_service_station", 14],
  ["party_service_center", 15],
  ["employment_service_station", 12],
  ["culture_room", 12],
  ["health_station", 10],
  ["incubator", 5],
];

/** a demo facility's name ends in its type's label; "other" reads better as a convenience point */
export const FACILITY_SUFFIX: Record<FacilityType, string> = { ...zhCN.facilityTypes, other: "便民服务点" };

type ServiceTemplate = {
  category: ServiceCategory;
  subType: string;
  name: string;
  description: string;
  eligibility?: Eligibility;
  fees: string[];
  capacity?: [number, number];
};

const ELDERLY: Eligibility = { minAge: 60 };
const S = {
  meal: {
    category: "elderly_care",
    subType: "meal_assistance",
    name: "老年助餐",
    description: "为辖区60周岁以上老年人提供午餐和晚餐，可堂食或送餐上门。",
    eligibility: ELDERLY,
    fees: ["每餐10元，80岁以上老人每餐8元", "每餐12元，低保老人免费", "每餐9元"],
    capacity: [60, 220],
  },
  dayCare: {
    category: "elderly_care",
    subType: "day_care",
    name: "日间照料",
    description: "白天托养、休息、文娱活动和健康监测，傍晚接送回家。",
    eligibility: ELDERLY,
    fees: ["每月600元", "每月800元（含午餐）", "每日30元"],
    capacity: [20, 60],
  },
  homeVisit: {
    category: "elderly_care",
    subType: "home_visit",
    name: "上门探访",
    description: "为独居、空巢、失能老年人定期上门探访，提供助洁、助浴等服务。",
    eligibility: { minAge: 60, residentsOnly: true },
    fees: ["免费", "助洁每小时30元"],
    capacity: [30, 120],
  },
  rehab: {
    category: "elderly_care",
    subType: "rehabilitation",
    name: "康复护理",
    description: "康复训练、理疗和护理指导。",
    eligibility: ELDERLY,
    fees: ["每次20元", "按项目收费"],
    capacity: [10, 30],
  },
  healthCheck: {
    category: "health",
    subType: "health_check",
    name: "健康体检",
    description: "血压、血糖监测和年度健康体检，建立健康档案。",
    eligibility: { minAge: 65 },
    fees: ["免费"],
    capacity: [40, 150],
  },
  chronic: {
    category: "health",
    subType: "chronic_disease_management",
    name: "慢病管理",
    description: "高血压、糖尿病等慢性病随访和用药指导。",
    fees: ["免费"],
  },
  familyDoctor: {
    category: "health",
    subType: "family_doctor",
    name: "家庭医生签约",
    description: "家庭医生签约服务，提供基本医疗和健康咨询。",
    eligibility: { residentsOnly: true },
    fees: ["免费"],
  },
  jobs: {
    category: "entrepreneurship",
    subType: "job_matching",
    name: "就业岗位对接",
    description: "发布辖区企业用工信息，组织招聘会，帮助居民就近就业。",
    fees: ["免费"],
  },
  policy: {
    category: "entrepreneurship",
    subType: "policy_consultation",
    name: "创业政策咨询",
    description: "解读创业补贴、社保补贴等政策，协助办理申请。",
    fees: ["免费"],
  },
  loan: {
    category: "entrepreneurship",
    subType: "startup_loan_guidance",
    name: "创业担保贷款指导",
    description: "指导符合条件的创业者申请创业担保贷款。",
    eligibility: { minAge: 18, text: "在本地创业的居民" },
    fees: ["免费"],
  },
  training: {
    category: "entrepreneurship",
    subType: "training",
    name: "职业技能培训",
    description: "电工、家政、直播电商等技能培训，结业颁发证书。",
    eligibility: { minAge: 16, maxAge: 60 },
    fees: ["免费", "补贴后每期100元"],
    capacity: [20, 60],
  },
  incubation: {
    category: "entrepreneurship",
    subType: "incubation",
    name: "创业孵化",
    description: "提供低租金工位、创业导师和项目路演。",
    fees: ["首年免租", "每月每工位200元"],
    capacity: [10, 40],
  },
  industry: {
    category: "industry",
    subType: "industry_matching",
    name: "产业对接",
    description: "对接本地特色产业和企业，组织产销对接活动。",
    fees: ["免费"],
  },
  ecommerce: {
    category: "industry",
    subType: "e_commerce",
    name: "电商服务",
    description: "农产品和特色产品网上销售、直播带货指导。",
    fees: ["免费"],
  },
  party: {
    category: "party_building",
    subType: "party_activities",
    name: "党员活动",
    description: "组织主题党日、党课学习和志愿服务。",
    fees: ["免费"],
  },
  volunteer: {
    category: "party_building",
    subType: "volunteer_service",
    name: "志愿服务",
    description: "党员志愿者结对帮扶困难家庭和老年人。",
    fees: ["免费"],
  },
  affairs: {
    category: "party_building",
    subType: "policy_consultation",
    name: "便民政务代办",
    description: "社保、医保、居住证等事项咨询和代办。",
    fees: ["免费"],
  },
  reading: {
    category: "culture_education",
    subType: "reading_room",
    name: "社区书屋",
    description: "图书借阅、阅读分享和亲子阅读活动。",
    fees: ["免费"],
  },
  classes: {
    category: "culture_education",
    subType: "interest_classes",
    name: "老年兴趣课堂",
    description: "书法、合唱、太极拳、智能手机使用等课程。",
    fees: ["免费", "每学期50元"],
    capacity: [20, 60],
  },
  afterSchool: {
    category: "culture_education",
    subType: "after_school_care",
    name: "四点半课堂",
    description: "小学生放学后的作业辅导和兴趣活动。",
    eligibility: { minAge: 6, maxAge: 12 },
    fees: ["免费"],
    capacity: [20, 50],
  },
  recycling: {
    category: "green_low_carbon",
    subType: "waste_sorting",
    name: "垃圾分类指导",
    description: "垃圾分类宣传和可回收物积分兑换。",
    fees: ["免费"],
  },
  lowCarbon: {
    category: "green_low_carbon",
    subType: "low_carbon_education",
    name: "绿色低碳宣传",
    description: "节能降碳知识讲座和旧物交换活动。",
    fees: ["免费"],
  },
} satisfies Record<string, ServiceTemplate>;

/** the first service is always offered; the others sometimes */
const SERVICE_MENU: Record<FacilityType, ServiceTemplate[]> = {
  elderly_day_care: [S.dayCare, S.meal, S.rehab, S.healthCheck],
  elderly_canteen: [S.meal, S.homeVisit],
  elderly_service_station: [S.homeVisit, S.dayCare, S.healthCheck],
  home_care_point: [S.homeVisit, S.meal],
  incubator: [S.incubation, S.loan, S.training, S.industry, S.ecommerce],
  employment_service_station: [S.jobs, S.policy, S.loan, S.training],
  party_service_center: [S.party, S.volunteer, S.affairs, S.recycling, S.reading],
  culture_room: [S.reading, S.classes, S.afterSchool, S.lowCarbon],
  health_station: [S.healthCheck, S.chronic, S.familyDoctor, S.rehab],
  other: [S.affairs],
};

const WEEKDAYS = ["1", "2", "3", "4", "5"] as const;
const ALL_DAYS = ["1", "2", "3", "4", "5", "6", "7"] as const;
function hoursOn(days: readonly string[], intervals: string[]): OpeningHours["week"] {
  return Object.fromEntries(days.map((d) => [d, intervals]));
}

function openingHoursFor(rng: Rng, type: FacilityType): OpeningHours | undefined {
  if (rng.chance(0.04)) return undefined;
  const office = rng.pick([["08:00-11:30", "13:30-17:30"], ["08:30-12:00", "14:00-18:00"], ["09:00-17:00"]]);
  let week: OpeningHours["week"];
  switch (type) {
    case "elderly_canteen": {
      const meals = rng.pick([["10:30-13:00", "16:30-18:30"], ["11:00-13:00"], ["10:30-12:30", "17:00-18:30"]]);
      week = hoursOn(rng.chance(0.45) ? ALL_DAYS : rng.chance(0.4) ? [...WEEKDAYS, "6"] : WEEKDAYS, meals);
      break;
    }
    case "elderly_day_care":
      week = hoursOn(rng.chance(0.3) ? [...WEEKDAYS, "6"] : WEEKDAYS, [rng.pick(["08:00-17:30", "07:30-18:00"])]);
      break;
    case "health_station":
      week = {
        ...hoursOn(WEEKDAYS, ["08:00-12:00", "14:00-17:30"]),
        ...(rng.chance(0.6) ? hoursOn(["6", "7"], ["08:00-12:00"]) : {}),
      };
      break;
    case "culture_room":
      week = {
        ...hoursOn(WEEKDAYS, ["09:00-11:30", "14:00-20:30"]),
        ...(rng.chance(0.7) ? hoursOn(["6", "7"], ["09:00-17:00"]) : {}),
      };
      break;
    default:
      week = hoursOn(rng.chance(0.15) ? [...WEEKDAYS, "6"] : WEEKDAYS, office);
  }
  return rng.chance(0.3) ? { week, holidayNote: "法定节假日休息" } : { week };
}

type FacilityRow = {
  id: string;
  community_code: string;
  name: string;
  type: FacilityType;
  address: string;
  lng: number;
  lat: number;
  opening_hours?: OpeningHours;
  phone: string;
  status: "active" | "suspended";
  last_verified_at: string;
  created_at: string;
};

type ServiceRow = {
  id: string;
  facility_id: string;
  name: string;
  category: ServiceCategory;
  sub_type: string;
  description: string;
  eligibility?: Eligibility;
  fee: string;
  capacity?: number;
  schedule?: OpeningHours;
  valid_from: string;
  status: "active" | "suspended";
  last_verified_at: string;
  created_at: string;
};

// ---------------------------------------------------------------------------------------------
// Assessments

type AssessmentRow = {
  id: string;
  community_code: string;
  state: "approved" | "revoked" | "submitted";
  tier: string | null;
  score: number;
  indicators: AssessmentIndicatorValue[];
  submitted_at: string;
  approved_at?: string;
  effective_at?: string;
  revoked_at?: string;
  created_at: string;
  updated_at: string;
};
type TransitionRow = { assessment_id: string; from_state: string; to_state: string; at: string };

const EVIDENCE: Record<string, string> = {
  gigabit_fibre: "辖区住户千兆光纤覆盖率达到90%以上，附运营商覆盖证明。",
  video_coverage: "出入口、主要道路和公共区域视频监控全覆盖，接入街道平台。",
  resident_platform: "已上线社区居民服务小程序，提供报事报修和预约服务。",
};

// ---------------------------------------------------------------------------------------------
// Residents' opinions (docs/figures.md, Satisfaction)

type FeedbackRow = {
  service_id: string;
  community_code: string;
  satisfied: boolean;
  comment: string | null;
  given_at: string;
  answer: string | null;
  answered_at: string | null;
  answered_by: string | null;
};

/** comments and, for some, the staff's answer */
const PRAISE: readonly (readonly [string, string])[] = [
  ["工作人员很耐心，服务周到", "感谢您的认可，我们会继续做好服务。"],
  ["环境干净整洁，老人很喜欢来", "谢谢您的肯定，欢迎常来。"],
  ["预约方便，不用排队", "感谢支持，线上预约会一直保留。"],
  ["价格实惠，服务到位", "谢谢您，收费标准已在服务点公示。"],
  ["离家近，方便多了", "感谢您的反馈，欢迎推荐给邻居。"],
];
const COMPLAINTS: readonly (readonly [string, string])[] = [
  ["开放时间太短，下班后去不了", "感谢建议，已把周二、周四开放到晚上 8 点。"],
  ["排队时间太长", "已增加一名工作人员，上午高峰排队会缩短。"],
  ["电话经常打不通", "已安排专人接听，工作日 8:30–17:30 都可以打。"],
  ["场地有点小，人多时很挤", "正在协调旁边的活动室，调整后会在公告栏通知。"],
  ["活动通知不及时，白跑了一趟", "以后会提前三天在居民群和公告栏发布通知。"],
  ["希望周末也能办理", "已开通周六上午预约办理，欢迎提前预约。"],
];

/**
 * Opinions of the demo services: about a third of the communities with services have some (most
 * certified ones and the demo district's, few villages), 5–40 each (mostly fewer than 15) over the
 * 11 months before `today`, mostly
 * 70–98% satisfied with each county and community a little different; some with comments, a few
 * of those answered. The staff's community has 15, several comments left for its staff to answer.
 */
function demoOpinions(
  services: readonly { id: string; communityCode: string }[],
  certified: ReadonlySet<string>,
  villages: ReadonlySet<string>,
  today: number,
): FeedbackRow[] {
  const byCommunity = new Map<string, string[]>();
  for (const s of services) byCommunity.set(s.communityCode, [...(byCommunity.get(s.communityCode) ?? []), s.id]);
  const rows: FeedbackRow[] = [];
  for (const [code, ids] of byCommunity) {
    const rng = rngFor("opinions", code);
    const staff = code === STAFF_COMMUNITY;
    const share = certified.has(code) || code.startsWith("370102") ? 0.85 : villages.has(code) ? 0.2 : 0.4;
    if (!staff && !rng.chance(share)) continue;
    const countyShare = rngFor("county-satisfaction", code.slice(0, 6)).between(0.74, 0.94);
    const satisfiedShare = Math.min(0.99, Math.max(0.55, countyShare + rng.between(-0.08, 0.06)));
    const count = staff ? 15 : 5 + Math.floor(36 * rng.next() ** 3);
    for (let i = 0; i < count; i++) {
      const given = officeMoment(rng, today - 335 * DAY, today);
      const satisfied = rng.chance(satisfiedShare);
      const commented = rng.chance(staff ? 0.6 : 0.25);
      const [comment, reply] = commented ? rng.pick(satisfied ? PRAISE : COMPLAINTS) : [null, null];
      const answered = commented && rng.chance(staff ? 0.35 : 0.3);
      rows.push({
        service_id: rng.pick(ids),
        community_code: code,
        satisfied,
        comment,
        given_at: iso(given),
        answer: answered ? reply : null,
        answered_at: answered ? iso(Math.min(given + rng.int(1, 4) * DAY, today)) : null,
        answered_by: answered && staff ? "demo-user-jiefangqiao" : null,
      });
    }
  }
  return rows;
}

type Standard = {
  indicators: StandardIndicator[];
  passScore: number;
  tierScores: Record<"basic" | "growth" | "benchmark", number>;
};

/** every subset of the indicators (bit mask), grouped by the tier its score reaches */
function subsetsByTier(standard: Standard) {
  const n = Math.min(standard.indicators.length, 16);
  const tiers = (["benchmark", "growth", "basic"] as const).map((t) => [t, standard.tierScores[t]] as const);
  const groups: Record<string, { mask: number; score: number }[]> = { basic: [], growth: [], benchmark: [] };
  for (let mask = 0; mask < 1 << n; mask++) {
    let score = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) score += Number(standard.indicators[i].weight);
    if (score < standard.passScore) continue;
    const tier = tiers.find(([, min]) => score >= min)?.[0];
    if (tier) groups[tier].push({ mask, score });
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------
// Accounts

const DEMO_ACCOUNTS: { username: string; displayName: string; role: Role; region: string }[] = [
  { username: "province", displayName: "山东省管理员", role: "province_admin", region: "370000000000" },
  { username: "jinan", displayName: "济南市工作人员", role: "city_official", region: "370100000000" },
  { username: "lixia", displayName: "历下区工作人员", role: "district_official", region: "370102000000" },
  { username: "jiefangqiao", displayName: "解放桥社区工作人员", role: "community_staff", region: STAFF_COMMUNITY },
];

// ---------------------------------------------------------------------------------------------

export async function hasDemoData(database: Database = db): Promise<boolean> {
  const [row] = await queryRows<{ present: boolean }>(
    sql`select exists (select 1 from regions where is_demo)
            or exists (select 1 from facilities where is_demo)
            or exists (select 1 from assessments where is_demo)
            or exists (select 1 from users where is_demo) as present`,
    database,
  );
  return Boolean(row?.present);
}

async function countDemo(database: Database) {
  const [row] = await queryRows<{ facilities: number; services: number; approved: number }>(
    sql`select (select count(*)::int from facilities where is_demo) as facilities,
               (select count(*)::int from services where is_demo) as services,
               (select count(*)::int from assessments where is_demo and state = 'approved') as approved`,
    database,
  );
  return row ?? { facilities: 0, services: 0, approved: 0 };
}

type CountyPlan = {
  code: string; // 6 digits
  name: string;
  cityCode: string; // 4 digits
  area: Area;
  anchor: LngLat;
  /** half-size (degrees) of the box subdistrict seats are drawn in */
  seatBox: [number, number];
  /** half-size of the box other township seats are drawn in; null = anywhere in the area */
  townBox: [number, number] | null;
};

function planCounties(
  divisions: DivisionsFile,
  countyBoundaries: BoundaryCollection,
  cityBoundaries: BoundaryCollection,
  points: Map<string, LngLat>,
): Map<string, CountyPlan> {
  const countyAreas = new Map(
    countyBoundaries.features.map((f) => [f.properties.adcode.slice(0, 6), toArea(f.geometry)]),
  );
  const cityAreas = new Map(cityBoundaries.features.map((f) => [f.properties.adcode.slice(0, 4), toArea(f.geometry)]));
  const plans = new Map<string, CountyPlan>();
  for (const county of divisions.counties) {
    const own = countyAreas.get(county.code);
    if (own) {
      const [minX, minY, maxX, maxY] = own.bbox;
      const rng = rngFor("county-anchor", county.code);
      const anchor = points.get(toStoredCode(county.code)) ?? anywhere(own, rng);
      plans.set(county.code, {
        code: county.code,
        name: county.name,
        cityCode: county.cityCode,
        area: own,
        anchor,
        seatBox: [0.125 * (maxX - minX), 0.125 * (maxY - minY)],
        townBox: null,
      });
      continue;
    }
    // An NBS-only zone has no boundary: it lies somewhere in its city, usually near the centre.
    const city = cityAreas.get(county.cityCode);
    if (!city) throw new Error(`demo data: no boundary for ${county.name} or its city ${county.cityCode}`);
    const [minX, minY, maxX, maxY] = city.bbox;
    const w = maxX - minX;
    const h = maxY - minY;
    const rng = rngFor("zone-anchor", county.code);
    const cityPoint = points.get(toStoredCode(county.cityCode)) ?? anywhere(city, rng);
    const anchor = nearUniform(city, rng, cityPoint, 0.15 * w, 0.15 * h, 500) ?? cityPoint;
    plans.set(county.code, {
      code: county.code,
      name: county.name,
      cityCode: county.cityCode,
      area: city,
      anchor,
      seatBox: [0.04 * w, 0.04 * h],
      townBox: [0.12 * w, 0.12 * h],
    });
  }
  return plans;
}

type PointRow = {
  code: string;
  lng: number;
  lat: number;
  households: number;
  population: number;
  population_60: number;
};

async function updatePoints(tx: Database, rows: PointRow[]) {
  await tx.execute(sql`
    update regions set
      point = ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326),
      households = r.households, population = r.population, population_60 = r.population_60,
      is_demo = true
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
      code text, lng float8, lat float8, households int, population int, population_60 int)
    where regions.code = r.code`);
}

async function insertFacilities(tx: Database, rows: FacilityRow[]) {
  await tx.execute(sql`
    insert into facilities (id, community_code, name, type, address, point, opening_hours, phone,
                            status, version, last_verified_at, is_demo, created_at, updated_at)
    select f.id, f.community_code, f.name, f.type::facility_type, f.address,
           ST_SetSRID(ST_MakePoint(f.lng, f.lat), 4326), f.opening_hours, f.phone,
           f.status::facility_status, 1, f.last_verified_at, true, f.created_at, f.last_verified_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as f(
      id text, community_code text, name text, type text, address text, lng float8, lat float8,
      opening_hours jsonb, phone text, status text, last_verified_at timestamptz, created_at timestamptz)`);
}

async function insertServices(tx: Database, rows: ServiceRow[]) {
  await tx.execute(sql`
    insert into services (id, facility_id, name, category, sub_type, description, eligibility, fee,
                          capacity, schedule, valid_from, status, version, last_verified_at, is_demo,
                          created_at, updated_at)
    select s.id, s.facility_id, s.name, s.category::service_category, s.sub_type, s.description,
           s.eligibility, s.fee, s.capacity, s.schedule, s.valid_from, s.status::service_status, 1,
           s.last_verified_at, true, s.created_at, s.last_verified_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as s(
      id text, facility_id text, name text, category text, sub_type text, description text,
      eligibility jsonb, fee text, capacity int, schedule jsonb, valid_from date, status text,
      last_verified_at timestamptz, created_at timestamptz)`);
}

/**
 * Generates and loads the demo data set in one transaction. Needs the reference data (regions,
 * boundaries, evaluation standard v1). Does nothing when demo data is already there.
 */
export async function loadDemoData(
  log: (line: string) => void = console.log,
  database: Database = db,
): Promise<{ seconds: number; facilities: number; services: number; approved: number }> {
  const started = performance.now();
  const lap = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

  if (await hasDemoData(database)) {
    log(`  demo data already present, nothing to do (${lap()})`);
    return { seconds: (performance.now() - started) / 1000, ...(await countDemo(database)) };
  }

  const [standardRow] = await queryRows<{
    indicators: StandardIndicator[];
    pass_score: string | number;
    tier_scores: Standard["tierScores"];
  }>(sql`select indicators, pass_score, tier_scores from evaluation_standards where version = 1`, database);
  if (!standardRow) throw new Error("demo data needs the reference data first (no evaluation standard v1)");
  const parsed = <T>(value: T | string): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);
  const standard: Standard = {
    indicators: parsed(standardRow.indicators),
    passScore: Number(standardRow.pass_score),
    tierScores: parsed(standardRow.tier_scores),
  };
  const pointRows = await queryRows<{ code: string; lng: number; lat: number }>(
    sql`select code, ST_X(point) as lng, ST_Y(point) as lat from regions
        where level in ('city', 'county') and point is not null`,
    database,
  );
  const referencePoints = new Map(pointRows.map((r) => [r.code, [Number(r.lng), Number(r.lat)] as LngLat]));

  const divisions = readDivisions();
  const plans = planCounties(divisions, readCountyBoundaries(), readCityBoundaries(), referencePoints);
  log(`  boundaries read, ${plans.size} county-level areas (${lap()})`);

  // --- township seats -------------------------------------------------------------------------
  const townships = new Map<string, { name: string; county: CountyPlan; seat: LngLat; kind: string }>();
  for (const street of divisions.streets) {
    const county = plans.get(street.countyCode);
    if (!county) throw new Error(`demo data: township ${street.code} has no county ${street.countyCode}`);
    const rng = rngFor("township", street.code);
    let seat: LngLat | null;
    if (street.type === "subdistrict") {
      seat = nearUniform(county.area, rng, county.anchor, county.seatBox[0], county.seatBox[1]);
    } else if (county.townBox) {
      seat = nearUniform(county.area, rng, county.anchor, county.townBox[0], county.townBox[1]);
    } else {
      seat = anywhere(county.area, rng);
    }
    townships.set(street.code, {
      name: street.name,
      county,
      seat: seat ?? anywhere(county.area, rng),
      kind: street.type,
    });
  }

  // --- village-level points and population ----------------------------------------------------
  type Community = {
    code: string;
    name: string;
    short: string;
    kind: "community" | "village";
    township: string;
    point: LngLat;
  };
  const communities: Community[] = [];
  const regionRows: PointRow[] = [];
  const sums = new Map<string, { households: number; population: number; population_60: number }>();
  for (const v of divisions.villages) {
    const township = townships.get(v.streetCode);
    if (!township) throw new Error(`demo data: community ${v.code} has no township ${v.streetCode}`);
    const rng = rngFor("community", v.code);
    const urban = v.kind === "community";
    const point = scatter(township.county.area, rng, township.seat, urban ? 1 : 4);
    const households = urban ? rng.int(1500, 5000) : rng.int(150, 800);
    const population = Math.round(households * (urban ? rng.between(2.5, 2.9) : rng.between(2.6, 3.2)));
    const population60 = Math.round(population * (urban ? rng.between(0.15, 0.28) : rng.between(0.2, 0.35)));
    regionRows.push({
      code: v.code,
      lng: point[0],
      lat: point[1],
      households,
      population,
      population_60: population60,
    });
    const sum = sums.get(v.streetCode) ?? { households: 0, population: 0, population_60: 0 };
    sum.households += households;
    sum.population += population;
    sum.population_60 += population60;
    sums.set(v.streetCode, sum);
    communities.push({
      code: v.code,
      name: v.name,
      short: shortName(v.name, v.kind),
      kind: v.kind,
      township: v.streetCode,
      point,
    });
  }
  for (const [code, t] of townships) {
    const sum = sums.get(code) ?? { households: 0, population: 0, population_60: 0 };
    regionRows.push({ code: toStoredCode(code), lng: t.seat[0], lat: t.seat[1], ...sum });
  }
  log(`  points generated: ${townships.size} townships, ${communities.length} village-level units (${lap()})`);

  // --- assessments ----------------------------------------------------------------------------
  const subsets = subsetsByTier(standard);
  const assessmentRows: AssessmentRow[] = [];
  const transitionRows: TransitionRow[] = [];
  const assessed = new Set<string>();
  const countyRates = new Map<string, number>();
  const rateOf = (countyCode: string) => {
    let rate = countyRates.get(countyCode);
    if (rate === undefined) {
      rate = rngFor("county-rate", countyCode).between(0.06, 0.36);
      countyRates.set(countyCode, rate);
    }
    return rate;
  };
  const indicatorValues = (rng: Rng, tier: "basic" | "growth" | "benchmark") => {
    const group = subsets[tier].length > 0 ? subsets[tier] : subsets.basic;
    const { mask, score } = rng.pick(group);
    const values: AssessmentIndicatorValue[] = standard.indicators.map((ind, i) => {
      const met = Boolean(mask & (1 << i));
      const text = EVIDENCE[ind.key];
      return ind.kind === "manual" && met && text ? { key: ind.key, met, evidence: { text } } : { key: ind.key, met };
    });
    const reached = (["benchmark", "growth", "basic"] as const).find((t) => score >= standard.tierScores[t]) ?? null;
    return { values, score, tier: reached };
  };
  // Each county certifies round(rate × its urban communities), chosen by a seeded shuffle.
  const urbanByCounty = new Map<string, string[]>();
  for (const c of communities) {
    if (c.kind !== "community" || c.code === STAFF_COMMUNITY) continue;
    const list = urbanByCounty.get(c.code.slice(0, 6)) ?? [];
    list.push(c.code);
    urbanByCounty.set(c.code.slice(0, 6), list);
  }
  const certified = new Set<string>();
  for (const [countyCode, codes] of urbanByCounty) {
    const rng = rngFor("county-certified", countyCode);
    const shuffled = [...codes];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    for (const code of shuffled.slice(0, Math.round(rateOf(countyCode) * codes.length))) certified.add(code);
  }
  let seq = 0;
  for (const c of communities) {
    if (c.kind !== "community" || c.code === STAFF_COMMUNITY) continue;
    const countyCode = c.code.slice(0, 6);
    const rng = rngFor("assessment", c.code);
    const approved = certified.has(c.code);
    const pending = !approved && rng.chance(countyCode === "370102" ? 0.08 : 0.012);
    if (!approved && !pending) continue;
    const id = `demo-a-${String(++seq).padStart(5, "0")}`;
    const wanted = rng.weighted([
      ["basic", 0.6],
      ["growth", 0.3],
      ["benchmark", 0.1],
    ] as const);
    const { values, score, tier } = indicatorValues(rng, wanted);
    if (approved) {
      // approvals through 2022, more of them towards the year-end deadline
      const approvedAt = officeMoment(rng, cst(2022, 1, 10), cst(2023, 1, 1), 0.7);
      const submittedAt = approvedAt - rng.int(3, 30) * DAY - rng.int(0, 300) * 60_000;
      const createdAt = submittedAt - rng.int(5, 60) * DAY;
      const revoked = rng.chance(0.03);
      const revokedAt = revoked ? officeMoment(rng, cst(2023, 1, 1), cst(2024, 1, 1)) : undefined;
      assessmentRows.push({
        id,
        community_code: c.code,
        state: revoked ? "revoked" : "approved",
        tier,
        score,
        indicators: values,
        submitted_at: iso(submittedAt),
        approved_at: iso(approvedAt),
        effective_at: iso(approvedAt),
        revoked_at: revokedAt === undefined ? undefined : iso(revokedAt),
        created_at: iso(createdAt),
        updated_at: iso(revokedAt ?? approvedAt),
      });
      transitionRows.push({ assessment_id: id, from_state: "submitted", to_state: "approved", at: iso(approvedAt) });
      if (revokedAt !== undefined) {
        transitionRows.push({ assessment_id: id, from_state: "approved", to_state: "revoked", at: iso(revokedAt) });
      }
    } else {
      const submittedAt = officeMoment(rng, cst(2026, 8, 1), cst(2026, 11, 20));
      const createdAt = submittedAt - rng.int(5, 60) * DAY;
      assessmentRows.push({
        id,
        community_code: c.code,
        state: "submitted",
        tier,
        score,
        indicators: values,
        submitted_at: iso(submittedAt),
        created_at: iso(createdAt),
        updated_at: iso(submittedAt),
      });
      transitionRows.push({ assessment_id: id, from_state: "draft", to_state: "submitted", at: iso(submittedAt) });
    }
    assessed.add(c.code);
  }

  // --- facilities and services ----------------------------------------------------------------
  const facilityRows: FacilityRow[] = [];
  const serviceRows: ServiceRow[] = [];
  // Verification is dated back from the day the demo is generated, not from fixed dates: with
  // fixed dates the freshness rules (docs/figures.md) would hide more of the demo from residents
  // every month, and all of it a year on. About 63% are verified within 180 days, 35% are stale and
  // 2% hidden (over 365 days); the staff account's community is all fresh, so its self-assessment
  // (README) reads the same on any day.
  const [year, month, day] = chinaDate(new Date()).split("-").map(Number);
  const verifiedTo = cst(year!, month!, day!);
  const verifiedFrom = verifiedTo - 400 * DAY;
  for (const c of communities) {
    const rng = rngFor("facilities", c.code);
    let types: FacilityType[];
    if (c.kind === "community") {
      // certified communities nearly always list facilities; the rest about half the time
      if (!rng.chance(assessed.has(c.code) || c.code === STAFF_COMMUNITY ? 0.92 : 0.53)) continue;
      const count = rng.weighted([
        [1, 0.4],
        [2, 0.35],
        [3, 0.25],
      ] as const);
      types = rng.weightedDistinct(URBAN_FACILITY_TYPES, count);
    } else {
      if (!rng.chance(0.08)) continue;
      types = ["home_care_point"];
    }
    const township = townships.get(c.township)!;
    const address = `${township.county.name}${township.name}${c.short}`;
    for (const type of types) {
      const id = `demo-f-${String(facilityRows.length + 1).padStart(6, "0")}`;
      const [lng, lat] = offsetMetres(township.county.area, rng, c.point, 50, 600);
      const verifiedAt =
        c.code === STAFF_COMMUNITY
          ? officeMoment(rng, verifiedTo - 60 * DAY, verifiedTo)
          : officeMoment(rng, verifiedFrom, verifiedTo, 0.6);
      const createdAt = officeMoment(rng, cst(2021, 3, 1), cst(2025, 6, 1));
      const status = rng.chance(0.035) ? "suspended" : "active";
      const phone = phoneFor(rng, c.code.slice(0, 4));
      facilityRows.push({
        id,
        community_code: c.code,
        name: `${c.short}${FACILITY_SUFFIX[type]}`,
        type,
        address,
        lng,
        lat,
        opening_hours: openingHoursFor(rng, type),
        phone,
        status,
        last_verified_at: iso(verifiedAt),
        created_at: iso(createdAt),
      });
      const menu = SERVICE_MENU[type];
      const extra = rng.int(0, Math.min(2, menu.length - 1));
      const chosen = [
        menu[0],
        ...rng.weightedDistinct(
          menu.slice(1).map((t) => [t, 1] as const),
          extra,
        ),
      ];
      for (const t of chosen) {
        const schedule: OpeningHours | undefined =
          t.subType === "health_check" && rng.chance(0.5)
            ? { week: { [rng.pick(["2", "3", "4"])]: ["08:30-11:00"] } }
            : undefined;
        serviceRows.push({
          id: `demo-s-${String(serviceRows.length + 1).padStart(6, "0")}`,
          facility_id: id,
          name: `${c.short}${t.name.replace(/^社区/, "")}`,
          category: t.category,
          sub_type: t.subType,
          description: t.description,
          eligibility: t.eligibility,
          fee: rng.pick(t.fees),
          capacity: t.capacity ? rng.int(t.capacity[0], t.capacity[1]) : undefined,
          schedule,
          valid_from: iso(createdAt).slice(0, 10),
          status: status === "suspended" || rng.chance(0.02) ? "suspended" : "active",
          last_verified_at: iso(verifiedAt),
          created_at: iso(createdAt),
        });
      }
    }
  }
  const facilityCommunity = new Map(facilityRows.map((f) => [f.id, f]));
  const feedbackRows = demoOpinions(
    serviceRows.flatMap((s) => {
      const facility = facilityCommunity.get(s.facility_id)!;
      return s.status === "active" && facility.status === "active"
        ? [{ id: s.id, communityCode: facility.community_code }]
        : [];
    }),
    new Set(assessmentRows.filter((a) => a.state === "approved").map((a) => a.community_code)),
    new Set(communities.filter((c) => c.kind === "village").map((c) => c.code)),
    verifiedTo,
  );
  log(
    `  generated ${facilityRows.length} facilities, ${serviceRows.length} services, ` +
      `${assessmentRows.length} assessments, ${feedbackRows.length} opinions (${lap()})`,
  );

  // --- accounts (hashing is slow on purpose: do it before the transaction) --------------------
  const passwordHashes = await Promise.all(DEMO_ACCOUNTS.map(() => hash(env.DEMO_PASSWORD)));
  const userRows = DEMO_ACCOUNTS.map((a, i) => ({
    id: `demo-user-${a.username}`,
    username: a.username,
    password_hash: passwordHashes[i],
    display_name: a.displayName,
    role: a.role,
    region_code: a.region,
  }));
  log(`  demo passwords hashed (${lap()})`);

  // --- write ----------------------------------------------------------------------------------
  await database.transaction(async (tx) => {
    for (let i = 0; i < regionRows.length; i += CHUNK) await updatePoints(tx, regionRows.slice(i, i + CHUNK));
    log(`  regions: ${regionRows.length} points with households and population (${lap()})`);

    for (let i = 0; i < facilityRows.length; i += CHUNK) await insertFacilities(tx, facilityRows.slice(i, i + CHUNK));
    for (let i = 0; i < serviceRows.length; i += CHUNK) await insertServices(tx, serviceRows.slice(i, i + CHUNK));
    log(`  facilities: ${facilityRows.length}, services: ${serviceRows.length} (${lap()})`);

    await tx.execute(sql`
      insert into assessments (id, community_code, standard_version, state, tier, score, indicators,
                               submitted_at, approved_at, effective_at, revoked_at, version, is_demo,
                               created_at, updated_at)
      select a.id, a.community_code, 1, a.state::assessment_state, a.tier::assessment_tier, a.score,
             a.indicators, a.submitted_at, a.approved_at, a.effective_at, a.revoked_at, 1, true,
             a.created_at, a.updated_at
      from jsonb_to_recordset(${JSON.stringify(assessmentRows)}::jsonb) as a(
        id text, community_code text, state text, tier text, score numeric, indicators jsonb,
        submitted_at timestamptz, approved_at timestamptz, effective_at timestamptz,
        revoked_at timestamptz, created_at timestamptz, updated_at timestamptz)`);
    await tx.execute(sql`
      insert into assessment_transitions (assessment_id, from_state, to_state, actor_user_id, reason, at)
      select t.assessment_id, t.from_state::assessment_state, t.to_state::assessment_state, null, 'demo', t.at
      from jsonb_to_recordset(${JSON.stringify(transitionRows)}::jsonb) as t(
        assessment_id text, from_state text, to_state text, at timestamptz)
      order by t.at, t.assessment_id`);
    const counts = { approved: 0, revoked: 0, submitted: 0 };
    for (const a of assessmentRows) counts[a.state]++;
    log(
      `  assessments: ${counts.approved} approved, ${counts.revoked} revoked, ${counts.submitted} submitted ` +
        `(${lap()})`,
    );

    // A username an administrator already took is left alone; its roles are not touched either.
    await tx.execute(sql`
      insert into users (id, username, password_hash, display_name, is_demo, created_at, updated_at)
      select u.id, u.username, u.password_hash, u.display_name, true,
             '2022-01-01T00:00:00+08:00', '2022-01-01T00:00:00+08:00'
      from jsonb_to_recordset(${JSON.stringify(userRows)}::jsonb) as u(
        id text, username text, password_hash text, display_name text)
      on conflict (username) do nothing`);
    await tx.execute(sql`
      insert into role_assignments (user_id, role, region_code, created_at)
      select u.id, r.role::role, r.region_code, '2022-01-01T00:00:00+08:00'
      from jsonb_to_recordset(${JSON.stringify(userRows)}::jsonb) as r(id text, role text, region_code text)
      join users u on u.id = r.id and u.is_demo
      on conflict do nothing`);
    log(`  accounts: ${userRows.map((u) => u.username).join(", ")} (${lap()})`);

    // the answerer only when the demo account was created (its username may have been taken)
    for (let i = 0; i < feedbackRows.length; i += CHUNK) {
      await tx.execute(sql`
        insert into service_feedback (service_id, community_code, satisfied, comment, given_at, answer,
                                      answered_at, answered_by)
        select f.service_id, f.community_code, f.satisfied, f.comment, f.given_at, f.answer, f.answered_at,
               (select u.id from users u where u.id = f.answered_by and u.is_demo)
        from jsonb_to_recordset(${JSON.stringify(feedbackRows.slice(i, i + CHUNK))}::jsonb) as f(
          service_id text, community_code text, satisfied boolean, comment text, given_at timestamptz,
          answer text, answered_at timestamptz, answered_by text)
        order by f.given_at, f.service_id`);
    }
    log(`  opinions: ${feedbackRows.length} (${lap()})`);

    // The published targets end in 2022 and 2025; a current-year goal gives the dashboards a
    // deadline still ahead. Marked as demo: it is not a published target.
    await tx.execute(sql`
      insert into targets (id, region_code, year, rate, count, deadline, is_demo)
      values (gen_random_uuid()::text, '370000000000', 2026, 0.2, null, '2026-12-31', true)
      on conflict (region_code, year) do nothing`);
    log(`  demo target: 20% of urban communities by 2026-12-31 (${lap()})`);
  });
  await database.execute(sql`analyze`);

  return {
    seconds: (performance.now() - started) / 1000,
    facilities: facilityRows.length,
    services: serviceRows.length,
    approved: assessmentRows.filter((a) => a.state === "approved").length,
  };
}
