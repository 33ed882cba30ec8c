// Draws Shequ's app icons (a map pin over a house, white on the brand red) as PNGs for the web app
// manifest: 192 and 512 px, and a "maskable" 512 px with the safe zone padded. Run once after a
// design change: node scripts/make-icons.mjs (writes public/icons/). No image library: the shapes
// are filled pixel by pixel with 4× supersampling and written with node's zlib.
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const RED = [0xb3, 0x26, 0x1e];
const WHITE = [0xff, 0xff, 0xff];

/** 1 inside the icon's white shape at (x, y) in 0..1, else 0; `pad` shrinks it for maskable icons */
function inShape(x, y, pad) {
  const s = 1 - 2 * pad;
  const u = (x - pad) / s;
  const v = (y - pad) / s;
  // the pin: a circle on top of a triangle pointing down
  const cx = 0.5,
    cy = 0.4,
    r = 0.26;
  const inCircle = (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
  const inTail = v >= cy && v <= 0.86 && Math.abs(u - cx) <= (r * (0.86 - v)) / (0.86 - cy);
  // the house inside the pin, cut out in red: a roof and a body
  const inRoof = v >= 0.25 && v <= 0.4 && Math.abs(u - cx) <= (v - 0.25) * 1.05;
  const inBody = v >= 0.4 && v <= 0.52 && Math.abs(u - cx) <= 0.11;
  const inDoor = v >= 0.45 && v <= 0.52 && Math.abs(u - cx) <= 0.03;
  return (inCircle || inTail) && !((inRoof || inBody) && !inDoor);
}

function png(size, { pad = 0.08, rounded = true } = {}) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      let white = 0;
      let inside = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) {
          const px = (x + (sx + 0.5) / 4) / size;
          const py = (y + (sy + 0.5) / 4) / size;
          // rounded corners (radius 18%) for the plain icon; a maskable icon fills the square
          const corner = 0.18;
          const dx = Math.max(corner - px, px - (1 - corner), 0);
          const dy = Math.max(corner - py, py - (1 - corner), 0);
          const inTile = !rounded || dx * dx + dy * dy <= corner * corner;
          if (!inTile) continue;
          inside++;
          if (inShape(px, py, pad)) white++;
        }
      const alpha = inside / 16;
      const mix = inside ? white / inside : 0;
      const colour = RED.map((c, i) => Math.round(c + (WHITE[i] - c) * mix));
      row.set([...colour, Math.round(alpha * 255)], 1 + x * 4);
    }
    rows.push(row);
  }
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

writeFileSync("public/icons/icon-192.png", png(192));
writeFileSync("public/icons/icon-512.png", png(512));
// maskable: the platform cuts its own shape, so the art keeps to the central 80% (the safe zone)
writeFileSync("public/icons/icon-maskable-512.png", png(512, { pad: 0.2, rounded: false }));
console.log("wrote public/icons/icon-192.png, icon-512.png, icon-maskable-512.png");
