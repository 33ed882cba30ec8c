import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { publicRoute } from "~/domains/accounts/guards.server";
import { LOCALES } from "~/i18n/i18n";
import { serializeLocale } from "~/utils/preferences.server";
import { errorResponse } from "~/utils/responses.server";
import { safeRedirect } from "~/utils/safe-redirect";

const schema = z.object({
  locale: z.enum(LOCALES),
  redirectTo: z.string().optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  publicRoute();
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw errorResponse(request, 400, "unknown language");
  return redirect(safeRedirect(parsed.data.redirectTo, "/"), {
    headers: { "Set-Cookie": await serializeLocale(parsed.data.locale) },
  });
}

export async function loader() {
  publicRoute();
  return redirect("/");
}
