import { redirect, type ActionFunctionArgs } from "@remix-run/node";

import { signOut } from "~/utils/auth.server";
import { publicRoute } from "~/utils/scope.server";

export async function action({ request }: ActionFunctionArgs) {
  publicRoute();
  return redirect("/", { headers: { "Set-Cookie": await signOut(request) } });
}

export async function loader() {
  publicRoute();
  return redirect("/");
}
