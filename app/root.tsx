import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
} from "@remix-run/react";
import { useMemo, type ReactNode } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { NotificationBell } from "~/components/notification-bell";
import { scopePrefixes } from "~/domains/accounts/accounts";
import { getAuthenticated } from "~/domains/accounts/auth.server";
import { publicRoute } from "~/domains/accounts/guards.server";
import { publicCalendar } from "~/domains/listings/public-holidays.server";
import { countUnreadNotifications } from "~/domains/notifications/notifications.server";
import { catalogueUrl } from "~/i18n/catalogue-files.server";
import { createI18n, DEFAULT_LOCALE, type Locale } from "~/i18n/i18n";
import stylesUrl from "~/styles/app.css";
import { getClientEnv } from "~/utils/env.server";
import { description, metaI18n } from "~/utils/meta";
import { useNonce } from "~/utils/nonce-provider";
import { getLargeText, getLocale } from "~/utils/preferences.server";
import { themeColour } from "~/utils/theme";
import { popToast } from "~/utils/toast.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesUrl },
  { rel: "icon", href: "/favicon.ico" },
  { rel: "manifest", href: "/manifest.webmanifest" },
  { rel: "apple-touch-icon", href: "/icons/icon-192.png" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  // every page, public ones included, renders in this layout: it reads who is signed in, if anyone
  publicRoute();
  const account = (await getAuthenticated(request))?.account ?? null;
  const { toast, headers } = await popToast(request);
  const locale = await getLocale(request, account?.locale);
  return json(
    {
      toast,
      largeText: await getLargeText(request, account?.largeText),
      locale,
      catalogueUrl: catalogueUrl(locale),
      ENV: getClientEnv(),
      // the days around now that China's calendar makes special: "open now" in the browser reads them
      publicCalendar: publicCalendar(new Date()),
      user: account && {
        username: account.username,
        displayName: account.displayName,
        canManageUsers: scopePrefixes(account.assignments, "manage_users").length > 0,
        canEdit: scopePrefixes(account.assignments, "edit").length > 0,
        canReview: scopePrefixes(account.assignments, "review").length > 0,
        canConfigure: scopePrefixes(account.assignments, "configure").length > 0,
        // signed in only (a public page read anonymously makes no query for it): one count on an index
        unreadNotifications: await countUnreadNotifications({
          userId: account.id,
          prefixes: scopePrefixes(account.assignments, "view"),
        }),
      },
    },
    { headers },
  );
}

export const meta: MetaFunction = ({ matches }) => [
  { title: "社区通 Shequ" },
  description(metaI18n(matches).t("meta.description")),
];

// the root reads its own data directly: through utils/use-root-data.ts would be an import circle
const useOwnData = () => useRouteLoaderData<typeof loader>("root");

type RootUser = NonNullable<ReturnType<typeof useOwnData>>["user"];

function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <Link to="/api/docs">{t("apiDocs.footerLink")}</Link>
    </footer>
  );
}

function SiteHeader({ locale, user, largeText }: { locale: Locale; user: RootUser; largeText: boolean }) {
  const { t } = useTranslation();
  const location = useLocation();
  const other: Locale = locale === "en" ? "zh-CN" : "en";
  const here = location.pathname + location.search;
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        <span className="brand-name">{t("app.name")}</span>
        <span className="brand-tagline">{t("app.tagline")}</span>
      </Link>
      <nav aria-label={t("nav.menu")} className="site-nav">
        <Form method="post" action="/preferences/display" className="inline-form">
          <input type="hidden" name="redirectTo" value={here} />
          <input type="hidden" name="largeText" value={largeText ? "off" : "on"} />
          <button type="submit" className="link-button" aria-pressed={largeText} data-testid="large-text-switch">
            {largeText ? t("nav.standardText") : t("nav.largeText")}
          </button>
        </Form>
        <Form method="post" action="/preferences/locale" className="inline-form">
          <input type="hidden" name="redirectTo" value={here} />
          <input type="hidden" name="locale" value={other} />
          <button type="submit" lang={other} className="link-button">
            {t("nav.switchTo")}
          </button>
        </Form>
        {user ? null : <Link to="/coverage">{t("nav.coverage")}</Link>}
        <Link to="/showcase">{t("showcase.nav")}</Link>
        {user ? (
          <>
            <NotificationBell unread={user.unreadNotifications} />
            <Link to="/dashboard">{t("nav.dashboard")}</Link>
            {user.canEdit ? <Link to="/manage">{t("nav.manage")}</Link> : null}
            {user.canReview ? <Link to="/review">{t("nav.review")}</Link> : null}
            {user.canConfigure ? (
              <>
                <Link to="/admin/targets">{t("nav.targets")}</Link>
                <Link to="/admin/standard">{t("nav.standard")}</Link>
                <Link to="/admin/living-circle">{t("nav.livingCircleSettings")}</Link>
                <Link to="/admin/settings">{t("freshness.navSettings")}</Link>
              </>
            ) : null}
            {user.canManageUsers ? (
              <>
                <Link to="/admin/users">{t("nav.users")}</Link>
                <Link to="/admin/audit">{t("nav.audit")}</Link>
              </>
            ) : null}
            <Link to="/account" data-testid="account-link">
              {user.displayName || user.username}
            </Link>
            <Form method="post" action="/logout" className="inline-form">
              <button type="submit" className="link-button">
                {t("nav.signOut")}
              </button>
            </Form>
          </>
        ) : (
          <Link to="/login">{t("nav.signIn")}</Link>
        )}
      </nav>
    </header>
  );
}

function ToastMessage({ toast }: { toast: { key: string; params?: Record<string, string | number> } | null }) {
  const { t } = useTranslation();
  if (!toast) return null;
  return (
    <p className="toast" role="status" data-testid="toast">
      {t(toast.key, toast.params)}
    </p>
  );
}

type RootData = ReturnType<typeof useOwnData>;

function Document({ data, children }: { data: RootData; children: ReactNode }) {
  const locale = data?.locale ?? DEFAULT_LOCALE;
  const i18n = useMemo(() => createI18n(locale), [locale]);
  const nonce = useNonce();
  return (
    // on <html>, so rem-based sizes grow with it
    <html lang={locale} className={data?.largeText ? "large-text" : undefined} data-catalogue={data?.catalogueUrl}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content={themeColour(data?.largeText ?? false)} />
        <Meta />
        {/* the page's catalogue downloads beside its scripts: hydration waits for it (entry.client.tsx) */}
        {data?.catalogueUrl ? <link rel="preload" as="fetch" href={data.catalogueUrl} crossOrigin="anonymous" /> : null}
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          <SiteHeader locale={locale} user={data?.user ?? null} largeText={data?.largeText ?? false} />
          <main id="main">
            <ToastMessage toast={data?.toast ?? null} />
            {children}
          </main>
          <SiteFooter />
        </I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return (
    <Document data={useOwnData()}>
      <Outlet />
    </Document>
  );
}

export function ErrorBoundary() {
  return (
    <Document data={useOwnData()}>
      <GeneralErrorBoundary />
    </Document>
  );
}
