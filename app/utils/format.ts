// The one way to show dates and distances to people; always in China's time zone.
const TIME_ZONE = "Asia/Shanghai";

export function formatDateTime(value: string | Date, locale: string) {
  return new Intl.DateTimeFormat(locale, {
    timeZone: TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(new Date(value));
}

export function formatDate(value: string | Date, locale: string) {
  return new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(value),
  );
}
