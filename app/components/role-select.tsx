import { getSelectProps, type FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";

import { ErrorList } from "~/components/forms";
import { ROLE_LEVEL } from "~/domains/accounts/accounts";

import type { Role } from "../../db/identifiers";

/** The roles an official may give, each with the region level it is assigned on. */
export function RoleSelect({ field, roles }: { field: FieldMetadata<string>; roles: readonly Role[] }) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={field.id}>{t("users.role")}</label>
      <select {...getSelectProps(field)}>
        {roles.map((role) => (
          <option key={role} value={role}>
            {t(`roles.${role}`)} ({t(`levels.${ROLE_LEVEL[role]}`)})
          </option>
        ))}
      </select>
      <ErrorList errors={field.errors} />
    </div>
  );
}
