import { Button, type ButtonProps } from 'antd';
import { useHref, useNavigate } from 'react-router';

/**
 * A button-styled link to a page of the app: a real `<a href>` (open in a new tab works), with
 * in-app navigation on a plain click. Use it instead of nesting a Button in a Link, which puts a
 * `<button>` inside an `<a>`.
 */
export function ButtonLink({ to, onClick, ...props }: Omit<ButtonProps, 'href'> & { to: string }) {
  const navigate = useNavigate();
  const href = useHref(to);
  return (
    <Button
      {...props}
      href={href}
      onClick={(event) => {
        onClick?.(event);
        const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0;
        if (event.defaultPrevented || modified) return;
        event.preventDefault();
        void navigate(to);
      }}
    />
  );
}
