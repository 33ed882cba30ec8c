import type { Messages } from "./zh-CN";

export const satisfactionIndicatorEn: Messages["satisfactionIndicator"] = {
  hint: "{{responses}} opinions in the last 12 months, {{rate}} satisfied; needs ≥ {{minRate}}% over at least {{minResponses}}",
  hintNone: "No opinions in the last 12 months; needs ≥ {{minRate}}% over at least {{minResponses}}",
  threshold: "≥ {{minRate}}% over at least {{minResponses}} opinions",
  addTitle: "Add the automatic indicator: residents' satisfaction",
  addIntro:
    "Computed from residents' opinions of the community's services: met when at least N opinions were given in the 12 months before the evaluation and at least X% of them were satisfied. Ticked, it is in the new version when you publish; drafts are then scored on it, submitted assessments are not affected.",
  add: "Include in the new version",
  minRate: "Share satisfied at least (X, %)",
  minResponses: "Opinions at least (N)",
  errors: {
    minRate: "The share must be a whole number from 1 to 100",
    minResponses: "The number of opinions must be a whole number from 1 to 100000",
    automaticOnly: "Residents' satisfaction can only be an automatic indicator",
    thresholdUnexpected: "Only residents' satisfaction has a share and a number of opinions",
  },
};
