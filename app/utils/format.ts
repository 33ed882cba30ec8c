// The one way to show dates and distances to people; always in China's time zone.
const TIME_ZONE = "Asia/Shanghai";

const isChinese = (locale: string) => locale.toLowerCase().startsWith("zh");

// Chinese pages: 2026/12/03. English pages name the month ("3 Dec 2026"): 12/03/2026 reads as
// 12 March in most of the world and as December 3 in the United States.
const dateFields = (locale: string): Intl.DateTimeFormatOptions =>
  isChinese(locale)
    ? { year: "numeric", month: "2-digit", day: "2-digit" }
    : { year: "numeric", month: "short", day: "numeric" };
const dateLocale = (locale: string) => (isChinese(locale) ? "zh-CN" : "en-GB");

export function formatDateTime(value: string | Date, locale: string) {
  return new Intl.DateTimeFormat(dateLocale(locale), {
    timeZone: TIME_ZONE,
    ...dateFields(locale),
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(new Date(value));
}

export function formatDate(value: string | Date, locale: string) {
  return new Intl.DateTimeFormat(dateLocale(locale), { timeZone: TIME_ZONE, ...dateFields(locale) }).format(
    new Date(value),
  );
}

/** a calendar date ("2026-10-08", China's) as formatDate shows it */
export const formatCalendarDate = (date: string, locale: string) => formatDate(`${date}T12:00:00+08:00`, locale);

/** clauses of one sentence: "；" between them on Chinese pages, "; " on English ones */
export function formatClauses(parts: readonly (string | null | undefined | false)[], locale: string) {
  return parts.filter(Boolean).join(isChinese(locale) ? "；" : "; ");
}

// TD/T 1062-2021 plans living circles at 60 m a minute; residents are told walking minutes at 80 m a
// minute (docs/figures.md), so the speed is a parameter and this is only its default.
export const WALKING_METRES_PER_MINUTE = 80;

/** "850 m" / "850 米" under a kilometre (to 10 m), "1.2 km" / "1.2 公里" from there (one decimal) */
export function formatDistance(metres: number, locale: string) {
  if (!Number.isFinite(metres)) return "";
  const zh = isChinese(locale);
  const tens = Math.round(Math.max(0, metres) / 10) * 10;
  // 995 m rounds to 1,000 m, which reads as a kilometre
  if (tens < 1000) return `${tens} ${zh ? "米" : "m"}`;
  const km = new Intl.NumberFormat(zh ? "zh-CN" : "en", { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
    metres / 1000,
  );
  return `${km} ${zh ? "公里" : "km"}`;
}

/** whole minutes, rounded up, never less than 1 */
export function walkingMinutes(metres: number, metresPerMinute = WALKING_METRES_PER_MINUTE) {
  if (!(metresPerMinute > 0)) throw new RangeError(`walking speed must be positive, got ${metresPerMinute}`);
  return Math.max(1, Math.ceil(Math.max(0, metres) / metresPerMinute));
}

export function formatWalkingMinutes(minutes: number, locale: string) {
  return isChinese(locale) ? `步行 ${minutes} 分钟` : `${minutes} min walk`;
}

/** a share 0..1 as "20.9%" (one decimal); "—" when there is nothing to divide */
export function formatPercent(share: number | null, locale: string) {
  if (share === null || !Number.isFinite(share)) return "—";
  return new Intl.NumberFormat(isChinese(locale) ? "zh-CN" : "en", {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(share);
}

/** a count or a pace, grouped ("1,482"; "2.4") */
export function formatNumber(value: number, locale: string, fractionDigits = 0) {
  return new Intl.NumberFormat(isChinese(locale) ? "zh-CN" : "en", {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

/** the living circle's detour factor: "1.3", "1.25" */
export const formatDetourFactor = (value: number, locale: string) =>
  formatNumber(value, locale, Number.isInteger(Math.round(value * 100) / 10) ? 1 : 2);

/** what a phone dials: its digits and a leading +, for `tel:` links and reading aloud */
export const dialString = (phone: string) => phone.replace(/[^\d+]/g, "");
