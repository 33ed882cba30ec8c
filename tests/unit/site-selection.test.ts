import {
  type CoveringInstance,
  pickSitesGreedy,
  type SiteSelection,
  solveSitesExact,
} from "~/domains/living-circle/site-selection.server";

/** mulberry32: the same instances on every run, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

function randomInstance(random: () => number): CoveringInstance {
  const candidates = int(random, 6, 10);
  const demand = int(random, 8, 15);
  const weight = new Map<string, number>();
  for (let i = 0; i < demand; i++) weight.set(`d${i}`, random() < 0.15 ? 0 : int(random, 1, 50));
  const reach = new Map<string, string[]>();
  for (let j = 0; j < candidates; j++) {
    const within = new Set<string>();
    for (let n = int(random, 1, 5); n > 0; n--) within.add(`d${int(random, 0, demand - 1)}`);
    reach.set(`c${j}`, [...within]);
  }
  return { reach, weight };
}

function* subsets<T>(items: readonly T[], size: number, from = 0): Generator<T[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= items.length - size; i++) {
    for (const rest of subsets(items, size - 1, i + 1)) yield [items[i], ...rest];
  }
}

/** Weight the sites can serve: source → site (capacity) → demand in reach → sink (weight), Edmonds–Karp. */
function maxFlow(instance: CoveringInstance, sites: readonly string[], capacity: number) {
  const demand = [...instance.weight.keys()];
  const nodes = 2 + sites.length + demand.length;
  const source = 0;
  const sink = nodes - 1;
  const residual = Array.from({ length: nodes }, () => new Array<number>(nodes).fill(0));
  sites.forEach((site, j) => {
    residual[source][1 + j] = capacity;
    for (const d of instance.reach.get(site)!) {
      const i = demand.indexOf(d);
      if (i >= 0) residual[1 + j][1 + sites.length + i] = Infinity;
    }
  });
  demand.forEach((d, i) => (residual[1 + sites.length + i][sink] = instance.weight.get(d)!));
  let flow = 0;
  for (;;) {
    const parent = new Array<number>(nodes).fill(-1);
    parent[source] = source;
    const queue = [source];
    while (queue.length && parent[sink] < 0) {
      const u = queue.shift()!;
      for (let v = 0; v < nodes; v++) {
        if (parent[v] < 0 && residual[u][v] > 0) {
          parent[v] = u;
          queue.push(v);
        }
      }
    }
    if (parent[sink] < 0) return flow;
    let push = Infinity;
    for (let v = sink; v !== source; v = parent[v]) push = Math.min(push, residual[parent[v]][v]);
    for (let v = sink; v !== source; v = parent[v]) {
      residual[parent[v]][v] -= push;
      residual[v][parent[v]] += push;
    }
    flow += push;
  }
}

function coveredBy(instance: CoveringInstance, sites: readonly string[]) {
  const covered = new Set(sites.flatMap((s) => [...instance.reach.get(s)!]));
  return [...covered].reduce((sum, d) => sum + (instance.weight.get(d) ?? 0), 0);
}

/** The best k-subset by enumeration (more sites never serve less, so subsets of exactly k suffice). */
function bruteForce(instance: CoveringInstance, k: number, capacity?: number) {
  const candidates = [...instance.reach.keys()];
  let best = 0;
  for (const chosen of subsets(candidates, Math.min(k, candidates.length))) {
    best = Math.max(best, capacity === undefined ? coveredBy(instance, chosen) : maxFlow(instance, chosen, capacity));
  }
  return best;
}

/** What any answer must satisfy, whatever its method. */
function expectConsistent(instance: CoveringInstance, selection: SiteSelection, k: number, capacity?: number) {
  expect(selection.sites.length).toBeLessThanOrEqual(k);
  const candidates = selection.sites.map((s) => s.candidate);
  expect(new Set(candidates).size).toBe(candidates.length);
  expect(selection.covered60).toBeCloseTo(
    selection.sites.reduce((sum, s) => sum + s.newlyCovered60, 0),
    6,
  );
  const listed = new Map<string, number>();
  for (const site of selection.sites) {
    expect(site.communities).toEqual([...site.communities].sort());
    for (const d of site.communities) {
      expect(instance.reach.get(site.candidate)).toContain(d);
      listed.set(d, (listed.get(d) ?? 0) + 1);
    }
    if (capacity !== undefined) expect(site.newlyCovered60).toBeLessThanOrEqual(capacity + 1e-6);
  }
  if (capacity === undefined) {
    // each community under one site, and the weight is that of the communities listed
    expect([...listed.values()].every((n) => n === 1)).toBe(true);
    for (const site of selection.sites) {
      const weight = site.communities.reduce((sum, d) => sum + instance.weight.get(d)!, 0);
      expect(site.newlyCovered60).toBe(weight);
    }
    expect(selection.covered60).toBe(coveredBy(instance, candidates));
  } else {
    expect(selection.covered60).toBeLessThanOrEqual(maxFlow(instance, candidates, capacity) + 1e-6);
  }
}

describe("site selection", () => {
  it("exact equals the brute-force optimum on small random instances, and is never below greedy", async () => {
    const random = prng(2024);
    let beatGreedy = 0;
    let beatGreedyWithCapacity = 0;
    for (let n = 0; n < 40; n++) {
      const instance = randomInstance(random);
      const k = int(random, 1, 4);
      const capacity = n % 2 ? int(random, 10, 80) : undefined;
      const exact = await solveSitesExact(instance, k, { capacity });
      const greedy = pickSitesGreedy(instance, k, { capacity });
      const label = `instance ${n}, k ${k}, capacity ${capacity}`;
      expect(exact.method, label).toBe("exact");
      expect(exact.optimal, label).toBe(true);
      expect(exact.covered60, label).toBeCloseTo(bruteForce(instance, k, capacity), 6);
      expect(exact.covered60, label).toBeGreaterThanOrEqual(greedy.covered60 - 1e-9);
      expect(greedy.optimal).toBe(false);
      expectConsistent(instance, exact, k, capacity);
      expectConsistent(instance, greedy, k, capacity);
      if (exact.covered60 > greedy.covered60 + 1e-9) {
        if (capacity === undefined) beatGreedy++;
        else beatGreedyWithCapacity++;
      }
    }
    // the solver, not only the greedy's bound, answered some of them
    expect(beatGreedy).toBeGreaterThan(0);
    expect(beatGreedyWithCapacity).toBeGreaterThan(0);
  });

  it("greedy is strictly worse than exact when the best first pick spoils the pair", async () => {
    // "mid" covers the two heavy middle communities; "left" and "right" each one of them and an outer one
    const instance: CoveringInstance = {
      reach: new Map([
        ["left", ["l", "m1"]],
        ["mid", ["m1", "m2"]],
        ["right", ["m2", "r"]],
      ]),
      weight: new Map([
        ["l", 4],
        ["m1", 5],
        ["m2", 5],
        ["r", 4],
      ]),
    };
    const greedy = pickSitesGreedy(instance, 2);
    expect(greedy.sites.map((s) => s.candidate)).toEqual(["mid", "left"]);
    expect(greedy.covered60).toBe(14);
    const exact = await solveSitesExact(instance, 2);
    expect(exact).toMatchObject({ method: "exact", optimal: true, covered60: 18 });
    expect(exact.sites).toEqual([
      { candidate: "left", newlyCovered60: 9, communities: ["l", "m1"] },
      { candidate: "right", newlyCovered60: 9, communities: ["m2", "r"] },
    ]);
  });

  it("greedy breaks ties by weight, then by communities covered, then by the lowest id", () => {
    const instance: CoveringInstance = {
      reach: new Map([
        ["b", ["p", "q"]], // 10 in two communities
        ["a", ["r"]], // 10 in one
        ["c", ["s", "t"]], // 10 in two, after b by id
        ["z", ["u"]], // a community of unknown population only
      ]),
      weight: new Map([
        ["p", 6],
        ["q", 4],
        ["r", 10],
        ["s", 3],
        ["t", 7],
        ["u", 0],
      ]),
    };
    const picks = pickSitesGreedy(instance, 5);
    expect(picks.sites).toEqual([
      { candidate: "b", newlyCovered60: 10, communities: ["p", "q"] },
      { candidate: "c", newlyCovered60: 10, communities: ["s", "t"] },
      { candidate: "a", newlyCovered60: 10, communities: ["r"] },
      { candidate: "z", newlyCovered60: 0, communities: ["u"] },
    ]);
    // stops when nothing new is left to cover, short of k
    expect(picks.covered60).toBe(30);
  });

  it("a capacity limits what each site serves, and a community can be split between two sites", async () => {
    const instance: CoveringInstance = {
      reach: new Map([
        ["a", ["d1", "d2"]],
        ["b", ["d2", "d3"]],
      ]),
      weight: new Map([
        ["d1", 50],
        ["d2", 30],
        ["d3", 50],
      ]),
    };
    for (const selection of [
      pickSitesGreedy(instance, 2, { capacity: 60 }),
      await solveSitesExact(instance, 2, { capacity: 60 }),
    ]) {
      expect(selection.covered60).toBe(120);
      expect(selection.sites.map((s) => s.newlyCovered60)).toEqual([60, 60]);
      expect(selection.sites.map((s) => s.communities)).toEqual([
        ["d1", "d2"],
        ["d2", "d3"],
      ]);
    }
    // without the capacity, the first site covers d2 whole
    expect(pickSitesGreedy(instance, 2).sites.map((s) => s.newlyCovered60)).toEqual([80, 50]);
  });

  it("exact with a capacity splits a community when only that reaches the optimum", async () => {
    // All three offer 60 first; "big" covers the most communities, so the greedy takes it, and then
    // a or b adds 40: 100. The optimum, 120, is a and b, each serving 20 of h.
    const instance: CoveringInstance = {
      reach: new Map([
        ["a", ["x", "h"]],
        ["b", ["h", "y"]],
        ["big", ["h", "z1", "z2"]],
      ]),
      weight: new Map([
        ["x", 40],
        ["h", 40],
        ["y", 40],
        ["z1", 10],
        ["z2", 10],
      ]),
    };
    const capacity = 60;
    const greedy = pickSitesGreedy(instance, 2, { capacity });
    const exact = await solveSitesExact(instance, 2, { capacity });
    expect(greedy.sites[0].candidate).toBe("big");
    expect(greedy.covered60).toBe(100);
    expect(exact.covered60).toBeCloseTo(bruteForce(instance, 2, capacity), 6);
    expect(exact.covered60).toBeCloseTo(120, 6);
    expect(exact).toMatchObject({ method: "exact", optimal: true });
    expect(exact.sites.map((s) => s.candidate)).toEqual(["a", "b"]);
    expectConsistent(instance, exact, 2, capacity);
    expect(exact.sites.filter((s) => s.communities.includes("h"))).toHaveLength(2);
  });

  it("a time limit too short to prove anything still answers at least the greedy", async () => {
    const random = prng(99);
    const points = Array.from({ length: 150 }, () => [random(), random()]);
    const weight = new Map(points.map((_, i) => [`d${i}`, int(random, 0, 800)]));
    const reach = new Map(
      points.map(([x, y], j) => [
        `c${j}`,
        points
          .map(([u, v], i) => [Math.hypot(u - x, v - y), i] as const)
          .sort((p, q) => p[0] - q[0])
          .slice(0, 15)
          .map(([, i]) => `d${i}`),
      ]),
    );
    const instance = { reach, weight };
    const capacity = 6000;
    const greedy = pickSitesGreedy(instance, 10, { capacity });
    // below the bound that would let the greedy answer without HiGHS: 10 sites full or serving their whole reach
    const reachWeights = [...reach.values()].map((r) => r.reduce((sum, d) => sum + weight.get(d)!, 0));
    const bound = reachWeights
      .map((w) => Math.min(w, capacity))
      .sort((a, b) => b - a)
      .slice(0, 10)
      .reduce((sum, w) => sum + w, 0);
    expect(greedy.covered60).toBeLessThan(bound);
    const exact = await solveSitesExact(instance, 10, { capacity, timeLimitMs: 1 });
    // nothing is proved in a millisecond, and the greedy's answer is the floor
    expect(exact.optimal).toBe(false);
    expect(exact.covered60).toBeGreaterThanOrEqual(greedy.covered60 - 1e-9);
    expectConsistent(instance, exact, 10, capacity);
  });

  it("k must be an integer from 1 to 10, a capacity a positive integer", async () => {
    const instance: CoveringInstance = { reach: new Map([["a", ["d"]]]), weight: new Map([["d", 1]]) };
    for (const k of [0, 11, 2.5, Number.NaN, -1]) {
      expect(() => pickSitesGreedy(instance, k)).toThrow(RangeError);
      await expect(solveSitesExact(instance, k)).rejects.toThrow(RangeError);
    }
    for (const capacity of [0, -5, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() => pickSitesGreedy(instance, 1, { capacity })).toThrow(RangeError);
      await expect(solveSitesExact(instance, 1, { capacity })).rejects.toThrow(RangeError);
    }
    expect(pickSitesGreedy(instance, 10).sites).toHaveLength(1);
    expect((await solveSitesExact(instance, 1, { capacity: 1 })).covered60).toBe(1);
  });
});
