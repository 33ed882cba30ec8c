import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

// The public coverage view opens on the province.
export function loader({ request }: LoaderFunctionArgs) {
  const { search } = new URL(request.url);
  return redirect(`/coverage/37${search}`);
}
