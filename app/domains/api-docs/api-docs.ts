// The OpenAPI document as the readable page /api/docs shows it: each operation with its
// parameters, body, answers, access and an example curl, all read from the document itself.

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  default?: unknown;
  description?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Media = { schema?: Schema };
type OperationObject = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, unknown>[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
};
export type ApiDocument = {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, OperationObject | unknown> | undefined>;
  components?: { schemas?: Record<string, Schema> };
};

/** one field, parameter or body property as the page lists it */
export type DocField = { name: string; where?: string; required: boolean; type: string; description: string };
export type DocResponse = { status: string; description: string; contentTypes: string[]; fields: DocField[] };
export type DocOperation = {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  tag: string;
  access: "public" | "signed_in" | "optional";
  parameters: DocField[];
  body: DocField[] | null;
  responses: DocResponse[];
  curl: string;
};

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** example values for the curl lines: Jinan's Lixia district and a community in it */
const EXAMPLES: Record<string, string | number> = {
  lat: 36.6512,
  lng: 117.1201,
  code: "370102",
  scope: "370102",
  communityCode: "370102001002",
  version: 1,
};

function resolve(doc: ApiDocument, schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) return resolve(doc, doc.components?.schemas?.[schema.$ref.split("/").pop() ?? ""]);
  if (schema.allOf)
    return schema.allOf.reduce<Schema>((all, part) => {
      const s = resolve(doc, part);
      return {
        ...all,
        ...s,
        properties: { ...all.properties, ...s.properties },
        required: [...(all.required ?? []), ...(s.required ?? [])],
      };
    }, {});
  return schema;
}

/** "integer, 1–100, default 20" */
export function describeType(doc: ApiDocument, raw: Schema | undefined): string {
  const schema = resolve(doc, raw);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map((v) => describeType(doc, v)).join(" | ");
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const name = raw?.$ref ? raw.$ref.split("/").pop()! : types.join(" | ") || "any";
  const parts = [name === "array" && schema.items ? `array of ${describeType(doc, schema.items)}` : name];
  if (schema.enum) parts.push(`one of ${schema.enum.map(String).join(", ")}`);
  if (schema.const !== undefined) parts.push(`= ${String(schema.const)}`);
  if (schema.format) parts.push(schema.format);
  if (schema.pattern) parts.push(`pattern ${schema.pattern}`);
  if (schema.minimum !== undefined || schema.maximum !== undefined)
    parts.push(`${schema.minimum ?? "…"} to ${schema.maximum ?? "…"}`);
  if (schema.minLength !== undefined) parts.push(`at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) parts.push(`at most ${schema.maxLength} characters`);
  if (schema.maxItems !== undefined) parts.push(`at most ${schema.maxItems} items`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(", ");
}

function fieldsOf(doc: ApiDocument, raw: Schema | undefined): DocField[] {
  const schema = resolve(doc, raw);
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    required: required.has(name),
    type: describeType(doc, property),
    description: resolve(doc, property).description ?? property.description ?? "",
  }));
}

function exampleOf(doc: ApiDocument, name: string, raw: Schema | undefined): unknown {
  if (name in EXAMPLES) return EXAMPLES[name];
  const schema = resolve(doc, raw);
  if (schema.enum?.length) return schema.enum[0];
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes("integer") || types.includes("number")) return schema.minimum ?? 1;
  if (types.includes("boolean")) return false;
  return name === "name" ? "日间照料中心" : "…";
}

function curlOf(doc: ApiDocument, base: string, method: string, path: string, operation: OperationObject) {
  const query = (operation.parameters ?? [])
    .filter((p) => p.in === "query" && p.required)
    .map((p) => `${p.name}=${encodeURIComponent(String(exampleOf(doc, p.name, p.schema)))}`);
  const url =
    base +
    path.replace(/\{(\w+)\}/g, (_, name: string) => String(EXAMPLES[name] ?? name.toUpperCase())) +
    (query.length ? `?${query.join("&")}` : "");
  const lines = [`curl${method === "get" ? "" : ` -X ${method.toUpperCase()}`} '${url}'`];
  if (accessOf(operation) === "signed_in") lines.push(`-H 'Authorization: Bearer $SHEQU_TOKEN'`);
  const body = resolve(doc, operation.requestBody?.content?.["application/json"]?.schema);
  if (operation.requestBody) {
    const example = Object.fromEntries(
      (body.required ?? []).map((name) => [name, exampleOf(doc, name, body.properties?.[name])]),
    );
    lines.push(`-H 'Content-Type: application/json'`, `-d '${JSON.stringify(example)}'`);
  }
  return lines.join(" \\\n  ");
}

function accessOf(operation: OperationObject): DocOperation["access"] {
  const security = operation.security ?? [];
  const anonymous = security.length === 0 || security.some((s) => Object.keys(s).length === 0);
  const signedIn = security.some((s) => Object.keys(s).length > 0);
  return anonymous && signedIn ? "optional" : anonymous ? "public" : "signed_in";
}

/** every operation of the document, in its order, as the page shows them */
export function docOperations(doc: ApiDocument, base: string): DocOperation[] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((method) => item?.[method]).map((method) => {
      const operation = item![method] as OperationObject;
      const body = operation.requestBody?.content?.["application/json"]?.schema;
      return {
        id: operation.operationId ?? `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        summary: operation.summary ?? "",
        description: operation.description ?? "",
        tag: operation.tags?.[0] ?? "",
        access: accessOf(operation),
        parameters: (operation.parameters ?? []).map((p) => ({
          name: p.name,
          where: p.in,
          required: Boolean(p.required),
          type: describeType(doc, p.schema),
          description: p.description ?? p.schema?.description ?? "",
        })),
        body: operation.requestBody ? fieldsOf(doc, body) : null,
        responses: Object.entries(operation.responses ?? {}).map(([status, response]) => {
          const contentTypes = Object.keys(response.content ?? {});
          return {
            status,
            description: response.description ?? "",
            contentTypes,
            // the fields of a success; errors all have the one shape, named by its type
            fields: status.startsWith("2") ? fieldsOf(doc, response.content?.[contentTypes[0]]?.schema) : [],
          };
        }),
        curl: curlOf(doc, base, method, path, operation),
      };
    }),
  );
}
