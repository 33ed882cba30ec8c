// Every e2e test: a page it opened that broke the Content-Security-Policy fails it.
import { afterEach, expect } from "vitest";

import { takeCspViolations } from "../browser";

afterEach(() => {
  expect(takeCspViolations()).toEqual([]);
});
