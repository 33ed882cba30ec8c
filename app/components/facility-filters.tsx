import { useTranslation } from "react-i18next";

import { FilterField, FilterForm } from "~/components/filter-form";

import { FACILITY_STATUSES, FACILITY_TYPES, SERVICE_CATEGORIES } from "../../db/identifiers";

/** The community workspace's facility filters: text, facility type, service category, status. */
export function FacilityFilters({
  filter,
}: {
  filter: { q?: string; type?: string; category?: string; status?: string };
}) {
  const { t } = useTranslation();
  return (
    <FilterForm submitLabel={t("manage.filter")}>
      <FilterField id="f-q" label={t("manage.search")}>
        <input id="f-q" name="q" defaultValue={filter.q ?? ""} />
      </FilterField>
      <FilterField id="f-type" label={t("manage.facilityType")}>
        <select id="f-type" name="type" defaultValue={filter.type ?? ""}>
          <option value="">{t("manage.all")}</option>
          {FACILITY_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`facilityTypes.${type}`)}
            </option>
          ))}
        </select>
      </FilterField>
      <FilterField id="f-category" label={t("manage.category")}>
        <select id="f-category" name="category" defaultValue={filter.category ?? ""}>
          <option value="">{t("manage.all")}</option>
          {SERVICE_CATEGORIES.map((category) => (
            <option key={category} value={category}>
              {t(`categories.${category}`)}
            </option>
          ))}
        </select>
      </FilterField>
      <FilterField id="f-status" label={t("manage.status")}>
        <select id="f-status" name="status" defaultValue={filter.status ?? ""}>
          <option value="">{t("manage.all")}</option>
          {FACILITY_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`statuses.${status}`)}
            </option>
          ))}
        </select>
      </FilterField>
    </FilterForm>
  );
}
