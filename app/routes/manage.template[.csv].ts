import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { LISTING_COLUMNS, type ListingColumn } from "~/domains/listings/listing-csv";
import { csvResponse, toCsv } from "~/utils/csv.server";

type Example = Partial<Record<ListingColumn, string>>;

// A day-care centre in 解放桥社区 (历下区) with two services: one facility, two rows, one facility_ref.
function examples(lang: "zh" | "en"): Example[] {
  const zh = lang === "zh";
  const facility: Example = {
    facility_ref: "F1",
    community_code: "370102001002",
    facility_name: zh ? "解放桥社区日间照料中心" : "Jiefangqiao Community Day Care Centre",
    facility_type: "elderly_day_care",
    address: zh ? "济南市历下区解放路 100 号" : "100 Jiefang Road, Lixia District, Jinan",
    lat: "36.6660",
    lng: "117.0420",
    phone: "0531-86123456",
    hours_mon: "08:00-11:30, 13:30-17:30",
    hours_tue: "08:00-11:30, 13:30-17:30",
    hours_wed: "08:00-11:30, 13:30-17:30",
    hours_thu: "08:00-11:30, 13:30-17:30",
    hours_fri: "08:00-11:30, 13:30-17:30",
    hours_sat: "09:00-11:30",
    hours_sun: "",
    holiday_note: zh ? "法定节假日休息" : "Closed on public holidays",
    hours_exceptions: zh
      ? "2026-10-01~2026-10-08 休息; 2026-10-09 08:00-11:30"
      : "2026-10-01~2026-10-08 closed; 2026-10-09 08:00-11:30",
  };
  return [
    {
      ...facility,
      service_name: zh ? "老年助餐" : "Meals for older residents",
      category: "elderly_care",
      sub_type: "meal_assistance",
      description: zh ? "工作日午餐，可送餐上门" : "Weekday lunch; delivery to the door on request",
      min_age: "60",
      residents_only: zh ? "否" : "no",
      fee: zh ? "每餐 8 元" : "8 yuan a meal",
      capacity: "80",
      contact: zh ? "王女士" : "Ms Wang",
      valid_from: "2024-01-01",
    },
    {
      ...facility,
      service_name: zh ? "日间照料" : "Day care",
      category: "elderly_care",
      sub_type: "day_care",
      description: zh ? "午休、文娱活动、健康监测" : "Rest, activities and health checks during the day",
      min_age: "60",
      residents_only: zh ? "是" : "yes",
      eligibility_note: zh ? "需提前登记" : "Register in advance",
      fee: zh ? "免费" : "Free",
      capacity: "30",
      contact: zh ? "王女士" : "Ms Wang",
    },
  ];
}

export async function loader({ request }: LoaderFunctionArgs) {
  publicRoute();
  const lang = new URL(request.url).searchParams.get("lang") === "en" ? "en" : "zh";
  const csv = toCsv(
    examples(lang),
    LISTING_COLUMNS.map((c) => ({ header: lang === "en" ? c.key : c.zh, value: (row: Example) => row[c.key] ?? "" })),
  );
  return csvResponse(csv, lang === "en" ? "shequ-listings-template.csv" : "shequ-listings-template-zh.csv");
}
