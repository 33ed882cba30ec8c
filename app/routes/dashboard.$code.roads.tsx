// An official's street networks: load an OpenStreetMap extract for their region (walking distances
// inside it follow its ways, docs/figures.md), or remove one they loaded. PostgreSQL with pgRouting
// only; the embedded database says so and keeps the detour factor.
import {
  json,
  MaxPartSizeExceededError,
  redirect,
  unstable_composeUploadHandlers,
  unstable_createFileUploadHandler,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  type NodeOnDiskFile,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { RoadNetworksTable } from "~/components/road-networks-table";
import { requireRegionScope } from "~/domains/accounts/guards.server";
import {
  listRoadNetworksIn,
  loadRegionRoadNetwork,
  OsmFileError,
  removeRegionRoadNetwork,
  RoadNetworkUnavailable,
  streetNetworksPossible,
} from "~/domains/living-circle/living-circle.server";
import { significantCode } from "~/domains/regions/regions";
import { getRegion } from "~/domains/regions/regions.server";
import { textError } from "~/utils/responses.server";
import { toastHeaders } from "~/utils/toast.server";

/** an extract of a district's streets is a few MB; a city's some tens */
const MAX_OSM_BYTES = 200 * 1024 * 1024;
const NAME = /^[\p{L}\p{N} _.-]{1,60}$/u;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.region.name} · 社区通` : "社区通" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "review");
  const region = await getRegion(code);
  if (!region) throw textError(404, "no such region");
  const networks = await listRoadNetworksIn(significantCode(code));
  return json({
    region: { code: region.code, name: region.name },
    possible: streetNetworksPossible(),
    maxMb: MAX_OSM_BYTES / (1024 * 1024),
    networks,
  });
}

type Refusal = { error: string; params?: Record<string, string | number> };
const refuse = (status: number, error: string, params?: Refusal["params"]) =>
  json<Refusal>({ error, params }, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const { code, account } = await requireRegionScope(request, params.code, "review");
  const short = significantCode(code);
  const actor = { userId: account.id };
  const back = (key: string, values: Record<string, string | number>) =>
    toastHeaders({ key, params: values }).then((headers) => redirect(`/dashboard/${short}/roads`, { headers }));
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    const form = await request.formData();
    const name = String(form.get("name") ?? "");
    if (form.get("intent") !== "remove" || !name) return refuse(400, "livingCircle.roadsUnknown");
    const removed = await removeRegionRoadNetwork(actor, short, name);
    if (!removed) return refuse(404, "livingCircle.roadsUnknown");
    return back("livingCircle.roadsRemoved", { name });
  }
  if (!streetNetworksPossible()) return refuse(400, "livingCircle.roads_noRouting");
  let form: FormData;
  // the file is written under a name of our own; the official's is kept to show
  let uploadedAs = "";
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_composeUploadHandlers(
        unstable_createFileUploadHandler({
          directory: tmpdir(),
          file: ({ filename }) => {
            uploadedAs = filename;
            return `shequ-roads-${randomUUID()}.osm`;
          },
          maxPartSize: MAX_OSM_BYTES,
        }),
        unstable_createMemoryUploadHandler({ maxPartSize: 10_000 }),
      ),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError)
      return refuse(413, "livingCircle.roadsTooLarge", { max: MAX_OSM_BYTES / (1024 * 1024) });
    throw error;
  }
  const file = form.get("file") as NodeOnDiskFile | string | null;
  try {
    if (!file || typeof file === "string" || file.size === 0) return refuse(400, "livingCircle.roadsNoFile");
    const sourceFile = path.basename(uploadedAs || file.name);
    const given = String(form.get("name") ?? "").trim() || sourceFile.replace(/\.[^.]*$/, "");
    if (!NAME.test(given)) return refuse(400, "livingCircle.roadsNameInvalid");
    const loaded = await loadRegionRoadNetwork(actor, code, `${short}-${given}`, file.getFilePath(), sourceFile);
    return back("livingCircle.roadsLoaded", { name: loaded.name, edges: loaded.edges });
  } catch (error) {
    if (error instanceof OsmFileError) return refuse(400, "livingCircle.roads_notOsm");
    if (error instanceof RoadNetworkUnavailable) return refuse(400, `livingCircle.roads_${error.reason}`);
    throw error;
  } finally {
    if (file && typeof file !== "string") await rm(file.getFilePath(), { force: true });
  }
}

export default function RoadNetworks() {
  const { region, possible, maxMb, networks } = useLoaderData<typeof loader>();
  const refusal = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const short = significantCode(region.code);
  return (
    <div className="stack">
      <h1>{t("livingCircle.roadsTitle", { name: region.name })}</h1>
      <p className="muted">{t("livingCircle.roadsIntro")}</p>
      <p>
        <Link to={`/dashboard/${short}/living-circle`}>{t("livingCircle.title")}</Link>
      </p>
      {possible ? (
        <Form method="post" encType="multipart/form-data" className="stack" data-testid="roads-upload">
          <label>
            {t("livingCircle.roadsFile", { max: maxMb })} <input type="file" name="file" accept=".osm,.xml" required />
          </label>
          <label>
            {t("livingCircle.roadsName")} <input name="name" maxLength={60} />
          </label>
          <div>
            <button type="submit" disabled={navigation.state === "submitting"}>
              {navigation.state === "submitting" ? t("livingCircle.roadsLoading") : t("livingCircle.roadsUpload")}
            </button>
          </div>
          {refusal ? (
            <p role="alert" className="error">
              {t(refusal.error, refusal.params)}
            </p>
          ) : null}
        </Form>
      ) : (
        <p data-testid="roads-unavailable">{t("livingCircle.networksUnavailable")}</p>
      )}
      <RoadNetworksTable networks={networks} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
