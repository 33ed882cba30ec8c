import { createHash } from "node:crypto";

// Stable published ids (docs/decisions/015). Services, facilities (locations) and communities
// (organizations) carry a stored UUID, `public_id`; every object derived from one of them (its
// service_at_location, address, phones, schedules, language) and the taxonomy's terms get a name-based
// UUID (version 5, RFC 9562 §5.5) of the parent's id and a fixed name, so that they stay the same
// across edits, imports and reloads without being stored.

/** RFC 9562 §6.6: the DNS namespace, used only by the test vector */
export const DNS_NAMESPACE = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

/** Shequ's namespace for the HSDS objects it derives (a random v4 UUID chosen once: never change it) */
export const HSDS_NAMESPACE = "0b7c5a3e-4f0e-4d51-9a61-3c2f8d7e91a4";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);

/** The version-5 UUID of `name` in `namespace` (SHA-1 of the namespace's 16 bytes and the name's UTF-8). */
export function uuidv5(name: string, namespace: string): string {
  if (!isUuid(namespace)) throw new Error(`not a UUID: ${namespace}`);
  const hash = createHash("sha1")
    .update(Buffer.from(namespace.replaceAll("-", ""), "hex"))
    .update(name, "utf8")
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of an object derived from a published parent: `kind` names what it is, `part` which one. */
export const derivedId = (parentId: string, kind: string, part = "") =>
  uuidv5(`${parentId.toLowerCase()}/${kind}${part ? `/${part}` : ""}`, HSDS_NAMESPACE);
