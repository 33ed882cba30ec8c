import { setupServer } from "msw/node";

import { tileHandlers } from "./handlers/tiles";

/** The one msw server: a handler file per outside HTTP service, added here. */
export const handlers = [...tileHandlers];
export const server = setupServer(...handlers);
