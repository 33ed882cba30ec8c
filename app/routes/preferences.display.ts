import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { publicRoute } from "~/domains/accounts/guards.server";
import { serializeLargeText } from "~/utils/preferences.server";
import { errorResponse } from "~/utils/responses.server";
import { safeRedirect } from "~/utils/safe-redirect";

const schema = z.object({
  largeText: z.enum(["on", "off"]),
  redirectTo: z.string().optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  publicRoute();
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw errorResponse(request, 400, "largeText must be on or off");
  return redirect(safeRedirect(parsed.data.redirectTo, "/"), {
    headers: { "Set-Cookie": await serializeLargeText(parsed.data.largeText === "on") },
  });
}

export async function loader() {
  publicRoute();
  return redirect("/");
}
