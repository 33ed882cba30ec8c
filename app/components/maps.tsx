import leafletCss from "leaflet/dist/leaflet.css";
import { lazy, Suspense, type ComponentProps, type ComponentType, type ReactNode } from "react";
import clusterCss from "react-leaflet-cluster/dist/assets/MarkerCluster.css";
import clusterDefaultCss from "react-leaflet-cluster/dist/assets/MarkerCluster.Default.css";
import { ClientOnly } from "remix-utils/client-only";

// The public pages' maps, loaded when they are about to be shown: Leaflet, the cluster plugin and
// their styles are not in the page's first download and do not hold up its first paint. Until
// a map and its styles have arrived its placeholder (same size) stands in, and without
// JavaScript the placeholder stays.

const loading = new Map<string, Promise<void>>();

/** Adds a stylesheet to the document once; resolves when it has loaded (or failed: the map still works). */
function stylesheet(href: string): Promise<void> {
  let done = loading.get(href);
  if (!done) {
    const present = document.querySelector(`link[rel="stylesheet"][href="${href}"]`);
    done = present
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const link = document.createElement("link");
          link.rel = "stylesheet";
          link.href = href;
          link.onload = () => resolve();
          link.onerror = () => resolve();
          document.head.appendChild(link);
        });
    loading.set(href, done);
  }
  return done;
}

function lazyMap<P extends object>(load: () => Promise<ComponentType<P>>, styles: string[]) {
  return lazy(async () => {
    const [component] = await Promise.all([load(), ...styles.map(stylesheet)]);
    return { default: component };
  });
}

const ServicesMapLazy = lazyMap(
  () => import("./services-map.client").then((m) => m.ServicesMap),
  [leafletCss, clusterCss, clusterDefaultCss],
);
const PlaceMapLazy = lazyMap(() => import("./place-map.client").then((m) => m.PlaceMap), [leafletCss]);
const CoverageMapLazy = lazyMap(() => import("./coverage-map.client").then((m) => m.CoverageMap), [leafletCss]);
const ShowcaseMapLazy = lazyMap(() => import("./showcase-map.client").then((m) => m.ShowcaseMap), [leafletCss]);

function WhenShown({ placeholder, children }: { placeholder: ReactNode; children: () => ReactNode }) {
  return (
    <ClientOnly fallback={placeholder}>{() => <Suspense fallback={placeholder}>{children()}</Suspense>}</ClientOnly>
  );
}

type Placeholder = { placeholder: ReactNode };

export function ServicesMap({ placeholder, ...props }: ComponentProps<typeof ServicesMapLazy> & Placeholder) {
  return <WhenShown placeholder={placeholder}>{() => <ServicesMapLazy {...props} />}</WhenShown>;
}

export function PlaceMap({ placeholder, ...props }: ComponentProps<typeof PlaceMapLazy> & Placeholder) {
  return <WhenShown placeholder={placeholder}>{() => <PlaceMapLazy {...props} />}</WhenShown>;
}

export function CoverageMap({ placeholder, ...props }: ComponentProps<typeof CoverageMapLazy> & Placeholder) {
  return <WhenShown placeholder={placeholder}>{() => <CoverageMapLazy {...props} />}</WhenShown>;
}

export function ShowcaseMap({ placeholder, ...props }: ComponentProps<typeof ShowcaseMapLazy> & Placeholder) {
  return <WhenShown placeholder={placeholder}>{() => <ShowcaseMapLazy {...props} />}</WhenShown>;
}
