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
