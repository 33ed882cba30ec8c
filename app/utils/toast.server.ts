import { createCookie } from "@remix-run/node";

import { cookieSecure, env } from "./env.server";

// A one-time message carried across the redirect after a save, shown by the root and then cleared.
const toastCookie = createCookie("shequ_toast", {
  path: "/",
  httpOnly: true,
  sameSite: "lax",
  secure: cookieSecure(env),
  maxAge: 60,
});

export type Toast = { key: string; params?: Record<string, string | number> };

export async function toastHeaders(toast: Toast) {
  return { "Set-Cookie": await toastCookie.serialize(toast) };
}

/** The pending toast, and the header that clears it. */
export async function popToast(request: Request): Promise<{ toast: Toast | null; headers: HeadersInit }> {
  const value = (await toastCookie.parse(request.headers.get("Cookie"))) as Toast | null;
  if (!value || typeof value.key !== "string") return { toast: null, headers: {} };
  return { toast: value, headers: { "Set-Cookie": await toastCookie.serialize("", { maxAge: 0 }) } };
}
