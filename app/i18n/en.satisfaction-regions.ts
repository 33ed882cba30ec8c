import type { Messages } from "./zh-CN";

export const satisfactionRegionsEn: Messages["satisfactionRegions"] = {
  headlineLabel: "Residents satisfied (last 12 months)",
  responses: "{{count}} responses, {{satisfied}} satisfied",
  tooFew: "Fewer than {{min}} responses ({{count}}): no share shown",
  responsesColumn: "Responses",
  rateColumn: "Satisfied",
  tableNote:
    "Responses and share satisfied count residents' opinions of the 12 months up to today, whatever the as-of date above; below {{min}} responses no share is shown (—).",
  formTitle: "Residents' satisfaction",
  formIntro:
    "Residents' opinions of services (satisfied / not satisfied) count for 12 months. A region's or community's share satisfied is shown from this many responses; below it only the number of responses is shown.",
  minResponsesLabel: "Minimum responses for a share satisfied",
  minResponsesRange: "A whole number from 1 to 1000",
  save: "Save",
  saved: "Minimum responses saved: {{count}}",
};
