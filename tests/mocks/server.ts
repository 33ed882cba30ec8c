import { setupServer } from "msw/node";

import { defaultGeocodingHandlers } from "./handlers/geocoding";
import { tileHandlers } from "./handlers/tiles";

/** The one msw server: a handler file per outside HTTP service, added here. */
export const handlers = [...tileHandlers, ...defaultGeocodingHandlers];
export const server = setupServer(...handlers);
