import { afterAll, afterEach, beforeAll } from "vitest";

import { server } from "../mocks/server";

// Any request to the outside that no handler answers fails the test that made it.
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
