import { z } from "zod";

/** The rule for every new password; messages are catalogue keys. */
export const newPasswordSchema = z
  .string({ required_error: "form.required" })
  .min(10, "password.tooShort")
  .max(256, "form.tooLong");
