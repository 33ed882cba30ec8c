// The app's one door to the data layer. Remix empties `.server` modules for the browser only
// inside app/, so routes import db/ through here, never directly.
export { checkDatabase } from "../../db/health.server";
export { getCountyBoundaries, getRegion, getRegionBoundary } from "../../db/queries/regions.server";
