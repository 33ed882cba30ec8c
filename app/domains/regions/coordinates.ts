// We store points in WGS84 (what GPS and OpenStreetMap use). Maps published in China shift them:
// AMap (Gaode) and Tencent use GCJ-02, Baidu adds its own BD-09 on top. Handing an app a WGS84 point
// as if it were theirs lands the pin a few hundred metres off, so links to them convert first.

export type LngLat = { lng: number; lat: number };

/**
 * Shandong's extent: the bounding box of the province's boundary in the reference data
 * (db/data/shandong-*.geojson.gz: lng 114.8043–122.6977, lat 34.3866–38.4000), rounded outward.
 * Points are stored only inside the boundary itself (placePoint, db/queries/listings.server.ts).
 */
export const SHANDONG_EXTENT = { west: 114.8, south: 34.38, east: 122.7, north: 38.41 } as const;

/** how far past Shandong's extent a resident's search may start, in degrees (~45–55 km) */
export const SEARCH_MARGIN_DEGREES = 0.5;

/** where the residents' search (the page `/` and GET /api/v1/services) takes a point from */
export const SEARCH_AREA = {
  west: SHANDONG_EXTENT.west - SEARCH_MARGIN_DEGREES,
  south: SHANDONG_EXTENT.south - SEARCH_MARGIN_DEGREES,
  east: SHANDONG_EXTENT.east + SEARCH_MARGIN_DEGREES,
  north: SHANDONG_EXTENT.north + SEARCH_MARGIN_DEGREES,
} as const;

/** is this latitude within the residents' search area (Shandong and the margin)? */
export const latInSearchArea = (lat: number) => lat >= SEARCH_AREA.south && lat <= SEARCH_AREA.north;
/** is this longitude within the residents' search area (Shandong and the margin)? */
export const lngInSearchArea = (lng: number) => lng >= SEARCH_AREA.west && lng <= SEARCH_AREA.east;
/** the one rule for a search's starting point: in Shandong or within the margin around it */
export const inSearchArea = ({ lat, lng }: LngLat) => latInSearchArea(lat) && lngInSearchArea(lng);

// Krasovsky 1940 ellipsoid, as the GCJ-02 algorithm uses it
const A = 6378245.0;
const EE = 0.006693421622965943;
const X_PI = (Math.PI * 3000.0) / 180.0;

/** the usual rectangle: GCJ-02 leaves points outside it unchanged (it is coarse at the borders) */
export function outOfChina({ lng, lat }: LngLat) {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x: number, y: number) {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return ret;
}

function transformLng(x: number, y: number) {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return ret;
}

export function wgs84ToGcj02(point: LngLat): LngLat {
  if (outOfChina(point)) return { lng: point.lng, lat: point.lat };
  const { lng, lat } = point;
  let dLat = transformLat(lng - 105.0, lat - 35.0);
  let dLng = transformLng(lng - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  const magic = 1 - EE * Math.sin(radLat) * Math.sin(radLat);
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLng = (dLng * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lng: lng + dLng, lat: lat + dLat };
}

export function gcj02ToBd09({ lng, lat }: LngLat): LngLat {
  const z = Math.sqrt(lng * lng + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
  const theta = Math.atan2(lat, lng) + 0.000003 * Math.cos(lng * X_PI);
  return { lng: z * Math.cos(theta) + 0.0065, lat: z * Math.sin(theta) + 0.006 };
}

export function wgs84ToBd09(point: LngLat): LngLat {
  return gcj02ToBd09(wgs84ToGcj02(point));
}

const fixed = (value: number) => value.toFixed(6);

export type DirectionsLinks = { osm: string; amap: string; baidu: string };

/** walking directions to a WGS84 point in OpenStreetMap, AMap and Baidu Maps (web, or the app when installed) */
export function directionsLinks({ lat, lng, name }: { lat: number; lng: number; name: string }): DirectionsLinks {
  const wgs = `${fixed(lat)},${fixed(lng)}`;
  const gcj = wgs84ToGcj02({ lng, lat });
  const bd = wgs84ToBd09({ lng, lat });
  const label = encodeURIComponent(name);
  // AMap splits `to` on commas, so a comma in the name would read as another field
  const amapLabel = encodeURIComponent(name.replace(/,/g, "，"));
  return {
    // an empty origin in `route` leaves the start to the user; the foot engine routes for walking
    osm: `https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route=%3B${encodeURIComponent(wgs)}`,
    amap: `https://uri.amap.com/navigation?to=${fixed(gcj.lng)},${fixed(gcj.lat)},${amapLabel}&mode=walk&coordinate=gaode&callnative=1&src=shequ`,
    baidu: `https://api.map.baidu.com/marker?location=${fixed(bd.lat)},${fixed(bd.lng)}&title=${label}&content=${label}&output=html&coord_type=bd09ll&src=webapp.shequ.map`,
  };
}

/** a WGS84 point on a map, with a marker: OpenStreetMap and AMap (GCJ-02) */
export function pointMapLinks({ lat, lng }: { lat: number; lng: number }) {
  const gcj = wgs84ToGcj02({ lng, lat });
  return {
    osm: `https://www.openstreetmap.org/?mlat=${fixed(lat)}&mlon=${fixed(lng)}#map=17/${fixed(lat)}/${fixed(lng)}`,
    amap: `https://uri.amap.com/marker?position=${fixed(gcj.lng)},${fixed(gcj.lat)}&coordinate=gaode&src=shequ`,
  };
}
