import { http, HttpResponse } from "msw";

export const TIANDITU_GEOCODER_URL = "https://api.tianditu.gov.cn/geocoder";
export const NOMINATIM_URL = "https://nominatim.openstreetmap.org";

export type GazetteerEntry = { lat: number; lng: number; label: string };

/** Real places (WGS84, to about 100 m). A query matches the longest key it contains. */
export const gazetteer: Record<string, GazetteerEntry> = {
  山东省济南市历下区解放路: { lat: 36.6651, lng: 117.0403, label: "解放路, 历下区, 济南市, 山东省, 中国" },
  济南市历下区泉城路: { lat: 36.665, lng: 117.022, label: "泉城路, 历下区, 济南市, 山东省, 中国" },
  济南市历下区趵突泉: { lat: 36.6617, lng: 117.0135, label: "趵突泉, 历下区, 济南市, 山东省, 中国" },
  青岛市市南区香港中路: { lat: 36.063, lng: 120.385, label: "香港中路, 市南区, 青岛市, 山东省, 中国" },
  // outside Shandong: for refusal tests
  北京市东城区天安门: { lat: 39.9087, lng: 116.3975, label: "天安门, 东城区, 北京市, 中国" },
};

const keysLongestFirst = Object.keys(gazetteer).sort((a, b) => b.length - a.length);

export function lookUp(query: string): (GazetteerEntry & { key: string }) | null {
  const key = keysLongestFirst.find((k) => query.includes(k));
  return key ? { key, ...gazetteer[key] } : null;
}

/** Both geocoders, answering from the gazetteer; `urls` for tests that point the app elsewhere. */
export function geocodingHandlers(urls: { tianditu?: string; nominatim?: string } = {}) {
  const tiandituUrl = urls.tianditu ?? TIANDITU_GEOCODER_URL;
  const nominatimUrl = (urls.nominatim ?? NOMINATIM_URL).replace(/\/+$/, "");
  return [
    http.get(tiandituUrl, ({ request }) => {
      const params = new URL(request.url).searchParams;
      if (!params.get("tk")) return HttpResponse.json({ msg: "权限验证失败", status: "403" }, { status: 403 });
      let keyWord = "";
      try {
        keyWord = String(JSON.parse(params.get("ds") ?? "{}").keyWord ?? "");
      } catch {
        return HttpResponse.json({ msg: "参数错误", status: "404" });
      }
      const hit = lookUp(keyWord);
      if (!hit) return HttpResponse.json({ msg: "无结果", status: "101", searchVersion: "mock" });
      return HttpResponse.json({
        msg: "ok",
        status: "0",
        searchVersion: "mock",
        location: { lon: hit.lng, lat: hit.lat, score: 100, level: "道路", keyWord: hit.key },
      });
    }),
    http.get(`${nominatimUrl}/search`, ({ request }) => {
      const hit = lookUp(new URL(request.url).searchParams.get("q") ?? "");
      if (!hit) return HttpResponse.json([]);
      return HttpResponse.json([
        { lat: String(hit.lat), lon: String(hit.lng), display_name: hit.label, category: "highway", type: "primary" },
      ]);
    }),
  ];
}

export const defaultGeocodingHandlers = geocodingHandlers();
