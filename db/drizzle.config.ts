import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./drizzle",
  // PostGIS owns tables such as spatial_ref_sys; never let drizzle-kit touch them.
  extensionsFilters: ["postgis"],
});
