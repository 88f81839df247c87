import type { ReactNode } from 'react';
import { Route } from 'react-router';
import { ComingSoon, NotFound } from '../StatusPages';
import { ConsoleLayout } from './ConsoleLayout';

export interface ConsolePage {
  /** Path below the console's base; '' is its overview. */
  segment: string;
  icon: ReactNode;
  label: string;
  /** The page; a "coming soon" placeholder while the feature has not landed. */
  element?: ReactNode;
}

/** A page of the console reached from another page (an editor), not from the side navigation. */
export interface ConsoleSubPage {
  /** Path below the console's base, with params: `products/:id`. */
  path: string;
  element: ReactNode;
}

/**
 * The descendant routes of a console mounted at `${base}/*`, with its side navigation, and
 * `notice` (a banner such as "the store is suspended") above every page.
 */
export function consoleRoutes(
  base: string,
  title: string,
  pages: readonly ConsolePage[],
  options: { subPages?: readonly ConsoleSubPage[]; notice?: ReactNode } = {},
) {
  const nav = pages.map((page) => ({
    path: page.segment ? `${base}/${page.segment}` : base,
    icon: page.icon,
    label: page.label,
  }));
  return (
    <Route element={<ConsoleLayout title={title} nav={nav} notice={options.notice} />}>
      {pages.map((page) => {
        const element = page.element ?? <ComingSoon title={page.label} />;
        return page.segment ? (
          <Route key={page.segment} path={page.segment} element={element} />
        ) : (
          <Route key="" index element={element} />
        );
      })}
      {options.subPages?.map((page) => <Route key={page.path} path={page.path} element={page.element} />)}
      <Route path="*" element={<NotFound />} />
    </Route>
  );
}
