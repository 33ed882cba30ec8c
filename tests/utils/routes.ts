import type { LoaderFunctionArgs } from "@remix-run/node";

type Loader = (args: LoaderFunctionArgs) => Promise<Response> | Response;

/** Calls a route loader as Remix would and returns the Response (thrown ones too). */
export async function callLoader(loader: Loader, url: string, params: Record<string, string> = {}) {
  const request = new Request(new URL(url, "http://localhost"));
  try {
    return await loader({ request, params, context: { clientIp: "127.0.0.1" } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type Action = (args: LoaderFunctionArgs) => Promise<Response> | Response;

/** Posts a form to a route action as Remix would; returns the Response (thrown ones too). */
export async function callAction(
  action: Action,
  url: string,
  {
    params = {},
    form = {},
    json,
    multipart,
    method = "POST",
    cookie,
    headers = {},
    clientIp = "127.0.0.1",
  }: {
    params?: Record<string, string>;
    form?: Record<string, string>;
    /** a JSON body instead of the form */
    json?: unknown;
    /** a multipart body (file uploads) instead of the form */
    multipart?: FormData;
    method?: string;
    cookie?: string;
    headers?: Record<string, string>;
    clientIp?: string;
  } = {},
) {
  const request = new Request(new URL(url, "http://localhost"), {
    method,
    body: multipart ?? (json === undefined ? new URLSearchParams(form) : JSON.stringify(json)),
    headers: {
      ...(cookie ? { Cookie: cookie } : {}),
      ...(json === undefined ? {} : { "Content-Type": "application/json" }),
      ...headers,
    },
  });
  try {
    return await action({ request, params, context: { clientIp } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** A GET to a loader with a cookie. */
export async function callLoaderAs(loader: Loader, url: string, cookie?: string, params: Record<string, string> = {}) {
  const request = new Request(new URL(url, "http://localhost"), { headers: cookie ? { Cookie: cookie } : {} });
  try {
    return await loader({ request, params, context: { clientIp: "127.0.0.1" } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
