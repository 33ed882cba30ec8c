import { http, HttpResponse } from "msw";

// A 1×1 light-grey PNG: the map draws over blank tiles, offline.
export const blankTile = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mN49/HLfwAJdwPT1Vom2wAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);

export const tileHandlers = [
  http.get("https://tile.openstreetmap.org/:z/:x/:y", () =>
    HttpResponse.arrayBuffer(blankTile.buffer, { headers: { "Content-Type": "image/png" } }),
  ),
];
