import { redirect, type ActionFunctionArgs } from "@remix-run/node";

import { signOut } from "~/utils/auth.server";

export async function action({ request }: ActionFunctionArgs) {
  return redirect("/", { headers: { "Set-Cookie": await signOut(request) } });
}

export async function loader() {
  return redirect("/");
}
