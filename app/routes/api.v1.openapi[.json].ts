import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { openApiDocument } from "~/domains/api-docs/openapi.server";
import { JSON_CONTENT_TYPE } from "~/utils/http-cache.server";
import { versionedFile, versionedFileResponse, type VersionedFile } from "~/utils/responses.server";

// GET /api/v1/openapi.json — the OpenAPI 3.1 document of /api/v1, made from the routes' own zod
// schemas (domains/api-docs/openapi.server.ts); the same for every reader, with an entity tag.
let file: VersionedFile | null = null;

export async function loader({ request }: LoaderFunctionArgs) {
  publicRoute();
  file ??= versionedFile(JSON.stringify(openApiDocument()));
  return versionedFileResponse(request, file, { contentType: JSON_CONTENT_TYPE });
}
