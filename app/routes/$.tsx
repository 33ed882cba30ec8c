import { GeneralErrorBoundary } from "~/components/error-boundary";
import { publicRoute } from "~/domains/accounts/guards.server";

// An address no route knows still gets the root loader's reader (language, large text, account):
// without this route Remix answers the 404 before any loader runs, in Chinese and normal text.
export function loader() {
  publicRoute();
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return <GeneralErrorBoundary />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
