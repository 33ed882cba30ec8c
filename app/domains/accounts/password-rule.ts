import { z } from "zod";

// The rule for every new password, apart from accounts.ts: every page imports that module (the
// root reads permissions), and esbuild shares a module's code whole between the pages that use
// any of it, so a schema there would put zod in every page's browser code.

/** messages are catalogue keys */
export const newPasswordSchema = z
  .string({ required_error: "form.required" })
  .min(10, "password.tooShort")
  .max(256, "form.tooLong");
