import loadHighs, { type Highs } from "highs";

// Choosing k new sites for a service: greedy and exact maximal covering (ADR 013). Pure: the
// caller builds the instance from the database; nothing here reads it.

export type CoveringInstance = {
  /** candidate id -> demand ids within reach (already filtered by the distance model) */
  reach: Map<string, readonly string[]>;
  /** demand id -> weight (population aged 60+, 0 when unknown); only demand not already covered */
  weight: Map<string, number>;
};

export type SiteChoice = { candidate: string; newlyCovered60: number; communities: string[] };

export type SiteSelection = {
  method: "exact" | "greedy";
  optimal: boolean;
  covered60: number;
  sites: SiteChoice[];
  solveMs: number;
};

export type SiteSelectionOptions = {
  /** seniors one site can serve (a positive integer); demand may then be split between sites */
  capacity?: number;
};

export type ExactSiteSelectionOptions = SiteSelectionOptions & {
  /** HiGHS's time limit; past it the best solution found so far is used */
  timeLimitMs?: number;
};

export const MAX_SITES = 10;

const DEFAULT_TIME_LIMIT_MS = 2000;

// Wasm linear memory only grows: after a solve that pushed it past this, the runtime is dropped so
// that the garbage collector can take the memory back, and the next solve loads a fresh one.
const RUNTIME_MEMORY_CEILING = 256 * 1024 * 1024;

// HiGHS's LP reader has had a fixed line buffer (560 characters in highs-js's own check): long sums
// are written a few terms a line.
const TERMS_PER_LINE = 8;

function validate(k: number, capacity: number | undefined) {
  if (!Number.isInteger(k) || k < 1 || k > MAX_SITES) {
    throw new RangeError(`k must be an integer from 1 to ${MAX_SITES}, not ${k}`);
  }
  if (capacity !== undefined && (!Number.isInteger(capacity) || capacity < 1)) {
    throw new RangeError(`capacity must be a positive integer, not ${capacity}`);
  }
}

type Prepared = {
  /** candidates reaching at least one demand id, in string order (the greedy's last tie rule) */
  candidates: string[];
  /** each candidate's reachable demand, without duplicates */
  reach: Map<string, string[]>;
  weight: Map<string, number>;
};

function prepare(instance: CoveringInstance): Prepared {
  for (const [id, w] of instance.weight) {
    if (!Number.isFinite(w) || w < 0) throw new RangeError(`weight of ${id} must be a finite number ≥ 0, not ${w}`);
  }
  const reach = new Map<string, string[]>();
  for (const [candidate, demand] of instance.reach) {
    // An id without a weight is not demand: it is covered already.
    const within = [...new Set(demand)].filter((d) => instance.weight.has(d));
    if (within.length) reach.set(candidate, within);
  }
  return { candidates: [...reach.keys()].sort(), reach, weight: instance.weight };
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What the chosen sites have done so far. A community is open while it has weight left to serve
 * or no chosen site has reached it yet (so that a community of unknown population still counts as
 * covered, as the greedy of the living-circle queries counts it).
 */
class Coverage {
  readonly remaining: Map<string, number>;
  readonly reached = new Set<string>();

  constructor(weight: Map<string, number>) {
    this.remaining = new Map(weight);
  }

  isOpen(d: string) {
    return this.remaining.get(d)! > 0 || !this.reached.has(d);
  }

  serve(d: string, amount: number) {
    this.reached.add(d);
    this.remaining.set(d, Math.max(0, this.remaining.get(d)! - amount));
  }
}

type Offer = { candidate: string; served: number; takes: [string, number][] };

/**
 * What a candidate would serve next: its open demand, heaviest first (ties by id) so that a
 * capacity goes to the most seniors in the fewest communities, the last one perhaps in part.
 * Communities of no known weight cost no capacity and are always taken.
 */
function offer(candidate: string, reach: readonly string[], coverage: Coverage, capacity: number): Offer {
  const open = reach
    .filter((d) => coverage.isOpen(d))
    .sort((a, b) => coverage.remaining.get(b)! - coverage.remaining.get(a)! || byString(a, b));
  let left = capacity;
  let served = 0;
  const takes: [string, number][] = [];
  for (const d of open) {
    const r = coverage.remaining.get(d)!;
    if (r > 0 && left <= 0) continue;
    const amount = Math.min(r, left);
    left -= amount;
    served += amount;
    takes.push([d, amount]);
  }
  return { candidate, served, takes };
}

const better = (a: Offer, b: Offer | null) =>
  !b || a.served > b.served || (a.served === b.served && a.takes.length > b.takes.length);

function take(coverage: Coverage, best: Offer): SiteChoice {
  for (const [d, amount] of best.takes) coverage.serve(d, amount);
  return {
    candidate: best.candidate,
    newlyCovered60: best.served,
    communities: best.takes.map(([d]) => d).sort(byString),
  };
}

/** Greedy picks among `candidates` until `sites` has k of them or none serves anything new. */
function extendGreedy(
  prepared: Prepared,
  candidates: readonly string[],
  coverage: Coverage,
  sites: SiteChoice[],
  k: number,
  capacity: number,
) {
  const chosen = new Set(sites.map((s) => s.candidate));
  while (sites.length < k) {
    let best: Offer | null = null;
    for (const candidate of candidates) {
      if (chosen.has(candidate)) continue;
      const o = offer(candidate, prepared.reach.get(candidate)!, coverage, capacity);
      if (o.takes.length && better(o, best)) best = o;
    }
    if (!best) break;
    chosen.add(best.candidate);
    sites.push(take(coverage, best));
  }
}

const total = (sites: readonly SiteChoice[]) => sites.reduce((sum, s) => sum + s.newlyCovered60, 0);

function greedy(prepared: Prepared, k: number, capacity: number) {
  const sites: SiteChoice[] = [];
  extendGreedy(prepared, prepared.candidates, new Coverage(prepared.weight), sites, k, capacity);
  return sites;
}

/**
 * Greedy maximal covering: each pick newly covers the most weight (then the most communities, then
 * the lowest id); stops early when no candidate covers anything new. With a capacity, a pick serves
 * at most that much weight, heaviest communities first, and the part of a community it leaves is
 * demand for the later picks. Greedy proves nothing, so `optimal` is false.
 */
export function pickSitesGreedy(
  instance: CoveringInstance,
  k: number,
  { capacity }: SiteSelectionOptions = {},
): SiteSelection {
  validate(k, capacity);
  const started = performance.now();
  const sites = greedy(prepare(instance), k, capacity ?? Infinity);
  return { method: "greedy", optimal: false, covered60: total(sites), sites, solveMs: performance.now() - started };
}

const reachWeight = (prepared: Prepared, candidate: string) =>
  prepared.reach.get(candidate)!.reduce((sum, d) => sum + prepared.weight.get(d)!, 0);

/** No k sites serve more than all the weight within reach, nor more than the k largest reaches (or capacities). */
function upperBound(prepared: Prepared, k: number, capacity: number | undefined) {
  const reachable = new Set(prepared.candidates.flatMap((c) => prepared.reach.get(c)!));
  const all = [...reachable].reduce((sum, d) => sum + prepared.weight.get(d)!, 0);
  const largest = prepared.candidates
    .map((c) => Math.min(capacity ?? Infinity, reachWeight(prepared, c)))
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, w) => sum + w, 0);
  return Math.min(all, largest);
}

let runtime: Promise<Highs> | null = null;

function highsRuntime() {
  runtime ??= loadHighs().catch((error: unknown) => {
    runtime = null;
    throw error;
  });
  return runtime;
}

/** A linear expression in CPLEX LP format, a few terms a line. */
function linear(terms: readonly (readonly [number, string])[]) {
  const written = terms.map(([c, name], i) => `${c < 0 ? "- " : i ? "+ " : ""}${Math.abs(c)} ${name}`);
  const out: string[] = [];
  for (let i = 0; i < written.length; i += TERMS_PER_LINE) out.push(written.slice(i, i + TERMS_PER_LINE).join(" "));
  return out.join("\n   ");
}

type Model = {
  lp: string;
  /** LP names of the candidates in the model (x0, x1, …): ids would not all be valid LP names */
  x: Map<string, string>;
  /** with a capacity: LP name of each (demand, candidate) assignment */
  a: { demand: string; candidate: string; name: string }[];
};

/**
 * Maximal covering as a MIP. Only demand of positive weight enters the objective and only
 * candidates reaching some enter the model: the rest cannot change the optimum, and the greedy
 * extension after the solve still places them when there is room. y may be continuous: with x
 * binary, an optimal y is 0 or 1 anyway.
 */
function buildModel(prepared: Prepared, k: number, capacity: number | undefined): Model | null {
  const positive = (d: string) => prepared.weight.get(d)! > 0;
  const modelled = prepared.candidates.filter((c) => prepared.reach.get(c)!.some(positive));
  if (!modelled.length) return null;
  const x = new Map(modelled.map((c, j) => [c, `x${j}`]));
  const reachedBy = new Map<string, string[]>();
  for (const c of modelled) {
    for (const d of prepared.reach.get(c)!) if (positive(d)) reachedBy.set(d, [...(reachedBy.get(d) ?? []), c]);
  }
  const demand = [...reachedBy.keys()].sort(byString);
  const objective: [number, string][] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  const a: Model["a"] = [];
  if (capacity === undefined) {
    demand.forEach((d, i) => {
      objective.push([prepared.weight.get(d)!, `y${i}`]);
      rows.push(
        ` d${i}: ${linear([[1, `y${i}`], ...reachedBy.get(d)!.map((c): [number, string] => [-1, x.get(c)!])])} <= 0`,
      );
      bounds.push(` 0 <= y${i} <= 1`);
    });
  } else {
    const served = new Map<string, [number, string][]>(modelled.map((c) => [c, []]));
    demand.forEach((d, i) => {
      const w = prepared.weight.get(d)!;
      const most = Math.min(w, capacity);
      const names = reachedBy.get(d)!.map((c): [number, string] => {
        const name = `a${a.length}`;
        // Rows a ≤ min(w, C)·x would tighten the relaxation, but on 400 × 400 they made the root LP
        // several times slower than the branch and bound they save.
        bounds.push(` 0 <= ${name} <= ${most}`);
        a.push({ demand: d, candidate: c, name });
        served.get(c)!.push([1, name]);
        return [1, name];
      });
      objective.push(...names);
      rows.push(` d${i}: ${linear(names)} <= ${w}`);
    });
    modelled.forEach((c, j) => {
      rows.push(` s${j}: ${linear([...served.get(c)!, [-capacity, x.get(c)!]])} <= 0`);
    });
  }
  rows.push(` k: ${linear([...x.values()].map((name): [number, string] => [1, name]))} <= ${k}`);
  const lp = [
    "Maximize",
    ` covered: ${linear(objective)}`,
    "Subject To",
    ...rows,
    "Bounds",
    ...bounds,
    "Binary",
    ...[...x.values()].map((name) => ` ${name}`),
    "End",
  ].join("\n");
  return { lp, x, a };
}

type Solved = { status: string; primal: (name: string) => number };

async function runHighs(lp: string, timeLimitMs: number): Promise<Solved | null> {
  try {
    const highs = await highsRuntime();
    // mip_rel_gap 0: HiGHS's default (1e-4) would call a solution within 0.01 % of the bound optimal.
    const result = highs.solve(lp, { output_flag: false, time_limit: timeLimitMs / 1000, mip_rel_gap: 0 });
    if (highs.memoryBytes > RUNTIME_MEMORY_CEILING) runtime = null;
    const primal = (name: string) => {
      const column = result.Columns[name];
      return column && "Primal" in column && Number.isFinite(column.Primal) ? column.Primal : 0;
    };
    return { status: result.Status, primal };
  } catch {
    // A Wasm trap or abort (highs-js issues #3, #10, #45, #52) can leave the runtime unusable:
    // the next solve loads a new one, and this one is answered by the greedy (as when the runtime
    // could not load at all: the answer says "greedy").
    runtime = null;
    return null;
  }
}

/** Orders the solver's sites as the greedy would have picked them and fills the rest greedily. */
function sitesFromSolution(prepared: Prepared, model: Model, solved: Solved, k: number, capacity: number | undefined) {
  const chosen = [...model.x].filter(([, name]) => solved.primal(name) > 0.5).map(([c]) => c);
  // No site: HiGHS stopped before any solution (the model has weight within reach, so any solution
  // opens one), and the greedy's answer must not pass for the solver's. Over budget: not trusted.
  if (chosen.length === 0 || chosen.length > k) return null;
  const coverage = new Coverage(prepared.weight);
  const sites: SiteChoice[] = [];
  if (capacity === undefined) {
    extendGreedy(prepared, chosen, coverage, sites, k, Infinity);
  } else {
    // The solver's assignment, made feasible against rounding: in order, each amount at most what
    // the community has left and what the site can still take.
    const assigned = new Map<string, [string, number][]>(chosen.map((c) => [c, []]));
    const left = new Map(prepared.weight);
    const room = new Map(chosen.map((c) => [c, capacity]));
    for (const { demand, candidate, name } of model.a) {
      if (!room.has(candidate)) continue;
      const value = Math.round(solved.primal(name) * 1e6) / 1e6;
      const amount = Math.min(value, left.get(demand)!, room.get(candidate)!);
      if (amount <= 0) continue;
      left.set(demand, left.get(demand)! - amount);
      room.set(candidate, room.get(candidate)! - amount);
      assigned.get(candidate)!.push([demand, amount]);
    }
    const pending = new Set(chosen);
    while (pending.size) {
      let best: Offer | null = null;
      for (const candidate of [...pending].sort(byString)) {
        const free = prepared.reach
          .get(candidate)!
          .filter((d) => prepared.weight.get(d) === 0 && !coverage.reached.has(d))
          .map((d): [string, number] => [d, 0]);
        const takes = [...assigned.get(candidate)!, ...free];
        const o = { candidate, served: takes.reduce((sum, [, amount]) => sum + amount, 0), takes };
        if (better(o, best)) best = o;
      }
      pending.delete(best!.candidate);
      if (best!.takes.length) sites.push(take(coverage, best!));
    }
  }
  extendGreedy(prepared, prepared.candidates, coverage, sites, k, capacity ?? Infinity);
  return sites;
}

/**
 * Exact maximal covering (the MCLP, with an optional capacity per site) solved by HiGHS within
 * `timeLimitMs`. `optimal` is true when HiGHS proved the optimum, or when the greedy already reaches
 * an upper bound (then HiGHS is not called). Never worse than the greedy:
 * when HiGHS fails, has no solution or one below the greedy's, the greedy's sites come back
 * (`method: "greedy"`). Sites are ordered as the greedy would order them, each community listed
 * under the first site that covers it (with a capacity, under each site that serves part of it).
 * The solve blocks the event loop for up to the time limit.
 */
export async function solveSitesExact(
  instance: CoveringInstance,
  k: number,
  { capacity, timeLimitMs = DEFAULT_TIME_LIMIT_MS }: ExactSiteSelectionOptions = {},
): Promise<SiteSelection> {
  validate(k, capacity);
  if (!Number.isFinite(timeLimitMs) || timeLimitMs <= 0) {
    throw new RangeError(`timeLimitMs must be a positive number, not ${timeLimitMs}`);
  }
  const started = performance.now();
  const prepared = prepare(instance);
  // A capacity no candidate's reach can fill changes nothing: the smaller model without it is exact.
  const binding = capacity !== undefined && prepared.candidates.some((c) => reachWeight(prepared, c) > capacity);
  const cap = binding ? capacity : undefined;
  const greedySites = greedy(prepared, k, cap ?? Infinity);
  const done = (method: SiteSelection["method"], optimal: boolean, sites: SiteChoice[]): SiteSelection => ({
    method,
    optimal,
    covered60: total(sites),
    sites,
    solveMs: performance.now() - started,
  });
  // When the greedy reaches a bound nothing can pass, it is optimal and the solve would only confirm
  // it, blocking the process for up to the time limit (with a capacity smaller than the reach of
  // most candidates, as with real care homes, the greedy fills every site and this is the usual case).
  if (total(greedySites) >= upperBound(prepared, k, cap)) return done("exact", true, greedySites);
  const model = buildModel(prepared, k, cap);
  if (!model) return done("exact", true, greedySites);
  const solved = await runHighs(model.lp, timeLimitMs);
  const sites = solved ? sitesFromSolution(prepared, model, solved, k, cap) : null;
  const tolerance = 1e-9 * Math.max(1, total(greedySites));
  if (!solved || !sites || total(sites) < total(greedySites) - tolerance) return done("greedy", false, greedySites);
  return done("exact", solved.status === "Optimal", sites);
}
