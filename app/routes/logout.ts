import { redirect, type ActionFunctionArgs } from "@remix-run/node";

import { signOut } from "~/domains/accounts/auth.server";
import { publicRoute } from "~/domains/accounts/guards.server";

export async function action({ request }: ActionFunctionArgs) {
  publicRoute();
  return redirect("/", { headers: { "Set-Cookie": await signOut(request) } });
}

export async function loader() {
  publicRoute();
  return redirect("/");
}
