import { z } from "zod";

import { listAuditEntries } from "../../../db/queries/audit.server";
import { type Account } from "../../../db/queries/users.server";

const filterSchema = z.object({
  action: z.string().trim().max(64).optional().catch(undefined),
  objectType: z.string().trim().max(32).optional().catch(undefined),
  actor: z.string().trim().max(64).optional().catch(undefined),
  from: z.coerce.date().optional().catch(undefined),
  to: z.coerce.date().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type AuditFilterInput = z.infer<typeof filterSchema>;

/** The audit entries an official may read (their scope), filtered by the URL's query. */
export async function readAuditLog(
  request: Request,
  { account, prefixes }: { account: Account; prefixes: string[] },
  { pageSize }: { pageSize: number },
) {
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const filter = filterSchema.parse(params);
  const isProvinceAdmin = account.assignments.some((a) => a.role === "province_admin");
  const entries = await listAuditEntries({
    scopePrefixes: isProvinceAdmin ? undefined : prefixes,
    action: filter.action,
    objectType: filter.objectType,
    actor: filter.actor,
    from: filter.from,
    to: filter.to,
    limit: pageSize,
    offset: (filter.page - 1) * pageSize,
  });
  return { entries, filter };
}
