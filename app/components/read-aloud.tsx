import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { useOpenStateLabel } from "~/components/open-state";
import { dialString, formatDistance } from "~/utils/format";

import type { OpeningHours } from "../../db/schema";

// 朗读: reads a service's name, distance, open state and phone with the browser's own speech
// synthesis, in the page's language. Nothing is sent anywhere; without speech synthesis (or before
// the page has loaded its script) there is no button.

type Spoken = {
  name: string;
  distanceM: number | null;
  hours: OpeningHours | null | undefined;
  phone: string | null;
  at: string;
};

/** A phone number is read digit by digit ("1 3 8 …"), not as one large number. */
const digitByDigit = (phone: string) => dialString(phone).split("").join(" ");

export function useReadAloudText({ name, distanceM, hours, phone, at }: Spoken) {
  const { t, i18n } = useTranslation();
  const open = useOpenStateLabel(hours, at);
  const parts = [
    name,
    distanceM === null ? null : formatDistance(distanceM, i18n.language),
    open.text,
    phone ? t("resident.readAloudPhone", { phone: digitByDigit(phone) }) : t("resident.readAloudNoPhone"),
  ];
  return parts.filter(Boolean).join(i18n.language === "en" ? ", " : "，");
}

export function ReadAloudButton(props: Spoken) {
  const { t, i18n } = useTranslation();
  const text = useReadAloudText(props);
  const [supported, setSupported] = useState(false);
  useEffect(() => {
    setSupported(typeof window.speechSynthesis?.speak === "function" && typeof SpeechSynthesisUtterance === "function");
  }, []);
  if (!supported) return null;
  return (
    <button
      type="button"
      className="read-aloud"
      data-primary-action
      aria-label={t("resident.readAloudLabel", { name: props.name })}
      onClick={() => {
        const utterance = new SpeechSynthesisUtterance(text);
        utterance.lang = i18n.language === "en" ? "en-GB" : "zh-CN";
        // a little slower than the default: the listeners this is for asked for it
        utterance.rate = 0.9;
        window.speechSynthesis.cancel();
        window.speechSynthesis.speak(utterance);
      }}
    >
      {t("resident.readAloud")}
    </button>
  );
}
