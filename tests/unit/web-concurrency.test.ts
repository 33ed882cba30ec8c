// WEB_CONCURRENCY (docs/decisions/009): one app process per core on PostgreSQL unless set; the
// embedded PGlite always one, whatever is asked (its data folder admits one process).
import { webConcurrencyFor } from "../../db/env.server";

const URL = "postgres://shequ@db.example/shequ";

describe("the app processes to run", () => {
  it("on PostgreSQL: one per core by default, else WEB_CONCURRENCY", () => {
    expect(webConcurrencyFor({ DATABASE_URL: URL }, 2)).toBe(2);
    expect(webConcurrencyFor({ DATABASE_URL: URL }, 16)).toBe(16);
    expect(webConcurrencyFor({ DATABASE_URL: URL, WEB_CONCURRENCY: 1 }, 16)).toBe(1);
    expect(webConcurrencyFor({ DATABASE_URL: URL, WEB_CONCURRENCY: 4 }, 2)).toBe(4);
  });

  it("on the embedded PGlite: one, whatever is asked", () => {
    expect(webConcurrencyFor({}, 8)).toBe(1);
    expect(webConcurrencyFor({ WEB_CONCURRENCY: 4 }, 8)).toBe(1);
  });
});
