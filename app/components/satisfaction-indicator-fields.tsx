import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";

import { ErrorList, Field } from "~/components/forms";
import { SATISFACTION_INDICATOR } from "~/domains/assessments/assessments";

// The standard page's fields for residents' satisfaction (docs/certification.md): its X and N on
// the indicator's row, and the fieldset that adds it to a new version.

type Threshold = {
  minRate: FieldMetadata<string>;
  minResponses: FieldMetadata<string>;
};

/** X and N on the row of a version that has the indicator */
export function SatisfactionThresholdInputs({ fields, label }: { fields: Threshold; label: string }) {
  const { t } = useTranslation();
  const { minRate, minResponses } = SATISFACTION_INDICATOR;
  return (
    <div className="inline-fields small">
      <label>
        {t("satisfactionIndicator.minRate")}{" "}
        <input
          {...getInputProps(fields.minRate, { type: "number" })}
          min={minRate.min}
          max={minRate.max}
          aria-label={`${t("satisfactionIndicator.minRate")} ${label}`}
        />
      </label>
      <label>
        {t("satisfactionIndicator.minResponses")}{" "}
        <input
          {...getInputProps(fields.minResponses, { type: "number" })}
          min={minResponses.min}
          max={minResponses.max}
          aria-label={`${t("satisfactionIndicator.minResponses")} ${label}`}
        />
      </label>
      <ErrorList errors={fields.minRate.errors} />
      <ErrorList errors={fields.minResponses.errors} />
    </div>
  );
}

/** adds the indicator, with its labels, weight, X and N, to the version about to be published */
export function AddSatisfactionIndicator({
  fields,
}: {
  fields: Threshold & {
    add: FieldMetadata<string>;
    labelZh: FieldMetadata<string>;
    labelEn: FieldMetadata<string>;
    weight: FieldMetadata<string>;
  };
}) {
  const { t } = useTranslation();
  const { minRate, minResponses } = SATISFACTION_INDICATOR;
  return (
    <fieldset className="stack" data-testid="add-satisfaction">
      <legend>{t("satisfactionIndicator.addTitle")}</legend>
      <p className="small muted">{t("satisfactionIndicator.addIntro")}</p>
      <label className="checkbox-target">
        <input {...getInputProps(fields.add, { type: "checkbox" })} /> {t("satisfactionIndicator.add")}
      </label>
      <div className="inline-fields">
        <Field
          label={t("assessment.standard.labelZh")}
          inputProps={getInputProps(fields.labelZh, { type: "text" })}
          errors={fields.labelZh.errors}
        />
        <Field
          label={t("assessment.standard.labelEn")}
          inputProps={getInputProps(fields.labelEn, { type: "text" })}
          errors={fields.labelEn.errors}
        />
        <Field
          label={t("assessment.weight")}
          inputProps={{ ...getInputProps(fields.weight, { type: "number" }), min: 0, max: 100 }}
          errors={fields.weight.errors}
        />
        <Field
          label={t("satisfactionIndicator.minRate")}
          inputProps={{ ...getInputProps(fields.minRate, { type: "number" }), min: minRate.min, max: minRate.max }}
          errors={fields.minRate.errors}
        />
        <Field
          label={t("satisfactionIndicator.minResponses")}
          inputProps={{
            ...getInputProps(fields.minResponses, { type: "number" }),
            min: minResponses.min,
            max: minResponses.max,
          }}
          errors={fields.minResponses.errors}
        />
      </div>
    </fieldset>
  );
}
