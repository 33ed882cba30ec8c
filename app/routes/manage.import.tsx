import {
  json,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireAnyScope } from "~/domains/accounts/guards.server";
import { LISTING_COLUMNS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from "~/domains/listings/listing-csv";
import { parseListingCsv, type ImportIssue } from "~/domains/listings/listing-import.server";
import { importListings } from "~/domains/listings/listings.server";

type ImportResult = {
  /** `recomputing`: a big import's living-circle reach is recomputed in the background */
  imported: { facilities: number; services: number; rows: number; recomputing: boolean } | null;
  warnings: ImportIssue[];
  errors: ImportIssue[];
};

const refused = (status: 400 | 413 | 422, issue: ImportIssue) =>
  json<ImportResult>({ imported: null, warnings: [], errors: [issue] }, { status });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnyScope(request, "edit");
  return json({ maxMb: MAX_IMPORT_BYTES / (1024 * 1024), maxRows: MAX_IMPORT_ROWS });
}

export async function action({ request }: ActionFunctionArgs) {
  const { account, prefixes } = await requireAnyScope(request, "edit");
  let formData: FormData;
  try {
    formData = await unstable_parseMultipartFormData(
      request,
      // one byte over the limit is enough to know the file is too large
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_IMPORT_BYTES + 1 }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      return refused(413, {
        row: 0,
        column: null,
        reason: "import.tooLarge",
        params: { max: MAX_IMPORT_BYTES / (1024 * 1024) },
      });
    }
    if (error instanceof TypeError) return refused(400, { row: 0, column: null, reason: "import.noFile" });
    throw error;
  }
  const file = formData.get("file");
  if (!(file instanceof Blob) || file.size === 0)
    return refused(400, { row: 0, column: null, reason: "import.noFile" });

  const parsed = await parseListingCsv(new Uint8Array(await file.arrayBuffer()), { editPrefixes: prefixes });
  if (!parsed.ok)
    return json<ImportResult>({ imported: null, warnings: [], errors: parsed.errors }, { status: parsed.status });
  const { recompute, ...counts } = await importListings({ userId: account.id }, parsed.facilities);
  return json<ImportResult>({
    imported: { ...counts, rows: parsed.rows, recomputing: recompute !== null },
    warnings: parsed.warnings,
    errors: [],
  });
}

function IssueTable({ issues, testId }: { issues: ImportIssue[]; testId: string }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith("zh");
  const columnName = (key: string | null) => {
    if (!key) return "—";
    const column = LISTING_COLUMNS.find((c) => c.key === key);
    return zh && column ? column.zh : key;
  };
  return (
    <table className="table" data-testid={testId}>
      <thead>
        <tr>
          <th>{t("import.row")}</th>
          <th>{t("import.column")}</th>
          <th>{t("import.reason")}</th>
        </tr>
      </thead>
      <tbody>
        {issues.map((issue, i) => (
          <tr key={`${issue.row}-${issue.column}-${issue.reason}-${i}`}>
            <td>{issue.row === 0 ? "—" : issue.row}</td>
            <td>{columnName(issue.column)}</td>
            {/* under `replace`, a param can never be taken for one of i18next's options (lng, count…) */}
            <td>{t(issue.reason, { replace: issue.params, defaultValue: issue.reason })}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function ImportListings() {
  const { maxMb, maxRows } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const busy = navigation.state === "submitting";
  return (
    <section className="stack">
      <h1>{t("import.title")}</h1>
      <p>{t("import.help", { maxMb, maxRows })}</p>
      <p>
        {t("import.template")}{" "}
        <a href="/manage/template.csv?lang=zh" download>
          {t("import.templateZh")}
        </a>{" "}
        ·{" "}
        <a href="/manage/template.csv?lang=en" download>
          {t("import.templateEn")}
        </a>
      </p>
      <Form method="post" encType="multipart/form-data" className="stack">
        <div className="field">
          <label htmlFor="file">{t("import.file")}</label>
          <input id="file" name="file" type="file" accept=".csv,text/csv" required />
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {t("import.submit")}
        </button>
      </Form>

      {result?.imported ? (
        <div className="notice" role="status" data-testid="import-done">
          <p>
            {t("import.done", {
              facilities: result.imported.facilities,
              services: result.imported.services,
              rows: result.imported.rows,
            })}
          </p>
          {result.imported.recomputing ? <p>{t("import.recomputing")}</p> : null}
        </div>
      ) : null}
      {result?.warnings.length ? (
        <>
          <h2>{t("import.warnings")}</h2>
          <IssueTable issues={result.warnings} testId="import-warnings" />
        </>
      ) : null}
      {result?.errors.length ? (
        <div role="alert" className="stack">
          <h2>{t("import.errors")}</h2>
          <IssueTable issues={result.errors} testId="import-errors" />
        </div>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
