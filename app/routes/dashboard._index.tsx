import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

import { requireAnyScope } from "~/domains/accounts/guards.server";

// An official's dashboard opens on the widest region they may see.
export async function loader({ request }: LoaderFunctionArgs) {
  const { prefixes } = await requireAnyScope(request, "view");
  const widest = [...prefixes].sort((a, b) => a.length - b.length || a.localeCompare(b))[0];
  return redirect(`/dashboard/${widest}${new URL(request.url).search}`);
}
