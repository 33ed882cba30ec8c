import { gapsByChild, projectReportMap, REPORT_MAP_MAX_HEIGHT, REPORT_MAP_WIDTH } from "~/domains/coverage/report";

const square = (x: number, y: number, size: number) => ({
  type: "Polygon" as const,
  coordinates: [
    [
      [x, y],
      [x + size, y],
      [x + size, y + size],
      [x, y + size],
      [x, y],
    ],
  ],
});

describe("the report's SVG map", () => {
  it("fits the shapes to the frame, north up, with a dot for a child known by a point", () => {
    const map = projectReportMap([
      { code: "a", name: "A", geometry: square(117, 36, 0.5) },
      { code: "b", name: "B", geometry: square(117.5, 36.5, 0.5) },
      { code: "c", name: "C", geometry: { type: "Point", coordinates: [117.25, 36.75] } },
    ])!;
    expect(map.width).toBeLessThanOrEqual(REPORT_MAP_WIDTH);
    expect(map.height).toBeLessThanOrEqual(REPORT_MAP_MAX_HEIGHT);
    expect(map.shapes.map((s) => [s.code, s.kind])).toEqual([
      ["a", "area"],
      ["b", "area"],
      ["c", "dot"],
    ]);
    const numbers = (d: string) => d.match(/[\d.]+/g)!.map(Number);
    const a = numbers((map.shapes[0] as { d: string }).d);
    const b = numbers((map.shapes[1] as { d: string }).d);
    // B lies north-east of A: right of it and higher up (smaller y)
    expect(Math.min(...b.filter((_, i) => i % 2 === 0))).toBeCloseTo(Math.max(...a.filter((_, i) => i % 2 === 0)), 0);
    expect(Math.max(...b.filter((_, i) => i % 2 === 1))).toBeCloseTo(Math.min(...a.filter((_, i) => i % 2 === 1)), 0);
    // one degree of longitude is cos(latitude) of a degree of latitude
    expect(map.width / map.height).toBeCloseTo(Math.cos((36.5 * Math.PI) / 180), 1);
    for (const n of [...a, ...b]) expect(n).toBeGreaterThanOrEqual(0);
  });

  it("drops vertices closer than a fraction of a unit, and a ring left with fewer than three", () => {
    const ring = Array.from({ length: 20000 }, (_, i) => [
      117 + Math.cos(i / 3183) * 0.5,
      36 + Math.sin(i / 3183) * 0.5,
    ]);
    const dense = { type: "Polygon" as const, coordinates: [[...ring, ring[0]]] };
    const tiny = square(117.2, 36.2, 0.00001);
    const map = projectReportMap([
      { code: "dense", name: "", geometry: dense },
      { code: "tiny", name: "", geometry: tiny },
    ])!;
    expect(map.shapes.map((s) => s.code)).toEqual(["dense"]);
    const vertices = (map.shapes[0] as { d: string }).d.split("L").length;
    expect(vertices).toBeLessThan(5000);
    expect(vertices).toBeGreaterThan(100);
  });

  it("is null with nothing to draw", () => {
    expect(projectReportMap([])).toBeNull();
  });

  it("groups gap counts by child", () => {
    const byChild = gapsByChild([
      { code: "x", measure: "health", gaps: 2 },
      { code: "x", measure: "elderly_care", gaps: 3 },
      { code: "y", measure: "health", gaps: 1 },
    ]);
    expect(byChild.get("x")).toEqual({ health: 2, elderly_care: 3 });
    expect(byChild.get("y")).toEqual({ health: 1 });
  });
});
