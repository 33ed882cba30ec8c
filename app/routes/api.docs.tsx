import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { publicRoute } from "~/domains/accounts/guards.server";
import { docOperations, type ApiDocument, type DocField, type DocOperation } from "~/domains/api-docs/api-docs";
import { OPENAPI_PATH, openApiDocument } from "~/domains/api-docs/openapi.server";
import { description, metaI18n } from "~/utils/meta";

// GET /api/docs — the API's readable description, server-rendered from the OpenAPI document
// (/api/v1/openapi.json) that the routes' own zod schemas make; nothing is fetched from elsewhere.
export async function loader({ request }: LoaderFunctionArgs) {
  publicRoute();
  const document = openApiDocument() as ApiDocument;
  const base = new URL(request.url).origin;
  return json({ info: document.info, operations: docOperations(document, base), openApiPath: OPENAPI_PATH });
}

export const meta: MetaFunction = ({ matches }) => {
  const { t } = metaI18n(matches);
  return [{ title: `${t("apiDocs.title")} · ${t("app.name")}` }, description(t("apiDocs.intro"))];
};

const anchor = (operation: DocOperation) => `op-${operation.id}`;

export default function ApiDocs() {
  const { operations, openApiPath } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const tags = [...new Set(operations.map((o) => o.tag))];
  return (
    <div className="api-docs">
      <h1>{t("apiDocs.title")}</h1>
      <p>{t("apiDocs.intro")}</p>
      <p>
        <a href={openApiPath}>{t("apiDocs.machineReadable")}</a> (<code>{openApiPath}</code>)
      </p>
      <p>{t("apiDocs.hsds", { path: "/api/hsds/v3" })}</p>
      <p>{t("apiDocs.auth")}</p>
      <p>{t("apiDocs.errors")}</p>
      <p>{t("apiDocs.englishNote")}</p>
      <nav aria-labelledby="api-contents">
        <h2 id="api-contents">{t("apiDocs.contents")}</h2>
        <ul>
          {operations.map((o) => (
            <li key={anchor(o)}>
              <a href={`#${anchor(o)}`}>
                <code>
                  {o.method} {o.path}
                </code>{" "}
                {t(`apiDocs.operations.${o.id}`, { defaultValue: o.summary })}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {tags.map((tag) => (
        <section key={tag} aria-labelledby={`tag-${tag.replace(/\W/g, "-")}`}>
          <h2 id={`tag-${tag.replace(/\W/g, "-")}`}>{t(`apiDocs.tags.${tag}`, { defaultValue: tag })}</h2>
          {operations
            .filter((o) => o.tag === tag)
            .map((o) => (
              <Operation key={anchor(o)} operation={o} />
            ))}
        </section>
      ))}
    </div>
  );
}

function Operation({ operation: o }: { operation: DocOperation }) {
  const { t } = useTranslation();
  return (
    <article className="api-operation" id={anchor(o)} aria-labelledby={`${anchor(o)}-title`}>
      <h3 id={`${anchor(o)}-title`}>
        <code>
          {o.method} {o.path}
        </code>
        <br />
        {t(`apiDocs.operations.${o.id}`, { defaultValue: o.summary })}
      </h3>
      {o.description ? <p lang="en">{o.description}</p> : null}
      <p>
        <strong>{t("apiDocs.access")}</strong>: {t(ACCESS[o.access])}
      </p>
      <h4>{t("apiDocs.parameters")}</h4>
      {o.parameters.length ? <Fields fields={o.parameters} /> : <p>{t("apiDocs.noParameters")}</p>}
      {o.body ? (
        <>
          <h4>{t("apiDocs.body")}</h4>
          <Fields fields={o.body} />
        </>
      ) : null}
      <h4>{t("apiDocs.responses")}</h4>
      <ul className="api-responses">
        {o.responses.map((r) => (
          <li key={r.status}>
            <strong>{r.status}</strong> <span lang="en">{r.description}</span>
            {r.contentTypes.length ? <> ({t("apiDocs.contentTypes", { types: r.contentTypes.join(", ") })})</> : null}
            {r.fields.length ? (
              <details>
                <summary>{t("apiDocs.fields")}</summary>
                <Fields fields={r.fields} />
              </details>
            ) : null}
          </li>
        ))}
      </ul>
      <h4>{t("apiDocs.example")}</h4>
      <pre>
        <code>{o.curl}</code>
      </pre>
    </article>
  );
}

const ACCESS: Record<DocOperation["access"], string> = {
  public: "apiDocs.accessPublic",
  signed_in: "apiDocs.accessSignedIn",
  optional: "apiDocs.accessOptional",
};

function Fields({ fields }: { fields: DocField[] }) {
  const { t } = useTranslation();
  return (
    <ul className="api-fields">
      {fields.map((f) => (
        <li key={`${f.where ?? ""}-${f.name}`}>
          <code>{f.name}</code> ({f.where ? `${t(`apiDocs.where.${f.where}`, { defaultValue: f.where })}, ` : ""}
          {f.required ? t("apiDocs.required") : t("apiDocs.optional")}): <span lang="en">{f.type}</span>
          {f.description ? <span lang="en"> — {f.description}</span> : null}
        </li>
      ))}
    </ul>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
