import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { navigate, usePathname } from './location.ts';

interface LinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  readonly to: string;
}

/** An ordinary link (new tab, copy address work) that navigates in place on a plain click. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const pathname = usePathname();
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} aria-current={pathname === to ? 'page' : undefined} onClick={handle} {...rest} />;
}
