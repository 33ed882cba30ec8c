import type { Messages } from "./zh-CN";

// Residents' opinions of services; zh-CN.resident-feedback.ts has the same keys.
export const residentFeedbackEn: Messages["residentFeedback"] = {
  title: "Rate this service",
  open: "Rate",
  onServicePage: "Rate it on the service's page",
  question: "Have you used this service? Were you satisfied?",
  satisfied: "Satisfied",
  unsatisfied: "Not satisfied",
  comment: "Anything to add (optional, at most 200 characters, read only by the community's staff)",
  privacy: "No sign-in needed. Rating the same service again within 30 days replaces your earlier rating.",
  thanks: "Thank you for your rating!",
  replaced: "Your rating has been updated.",
  invalid: "Choose “Satisfied” or “Not satisfied”; a comment can be at most 200 characters.",
  limited: "Too many ratings; try again in {{minutes}} minutes.",
  figure: "Residents satisfied: {{rate}} (responses: {{responses}})",
  figureFew: "Residents' satisfaction: — (responses: {{responses}}; the share shows from {{min}})",
  figureNone: "Residents' satisfaction: no responses yet",
};
