import type { ComponentChildren } from 'preact';
import type { StaffPrincipal } from '../../../../core/staff/staff-sessions.ts';
import { FlashMessage } from './flash-message.tsx';
import type { Flash } from './flash.ts';
import { NAVIGATION } from './navigation.ts';
import { mayOpen } from './permission.ts';

/** The admin stylesheet's address (served by the admin UI plugin). */
export const ADMIN_STYLESHEET = '/admin/ui/admin.css';

const ROLE_LABELS: Record<StaffPrincipal['role'], string> = {
  CONSULTANT: '销售顾问',
  MANAGER: '经理',
  FRONT_DESK: '前台',
  ADMIN: '管理员',
};

export interface LayoutProps {
  title: string;
  /** The signed-in staff member; absent on pages shown before sign-in (errors, the sign-in page). */
  staff?: StaffPrincipal | null;
  flash?: Flash | null;
  /** A script of /assets/ the page needs. */
  script?: string;
  /** The navigation entry to mark as the current page. */
  current?: string;
  children?: ComponentChildren;
}

/**
 * Every admin page: the navigation (only the pages the staff member may open), who is signed in
 * with the sign-out button, the title, the flash of the last action, then the content.
 */
export function Layout({ title, staff, flash, script, current, children }: LayoutProps) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={ADMIN_STYLESHEET} />
        {script ? <script src={`/assets/${script}`} defer /> : null}
      </head>
      <body class="ui">
        {staff ? (
          <header class="topbar">
            <nav class="nav" aria-label="管理页面">
              {NAVIGATION.filter((item) => mayOpen(staff, item.permission)).map((item) => (
                <a href={item.href} aria-current={item.href === current ? 'page' : undefined}>
                  {item.label}
                </a>
              ))}
            </nav>
            <form class="who" method="post" action="/admin/logout">
              <span>
                {staff.name} · {ROLE_LABELS[staff.role]}
              </span>
              <button type="submit" class="link">
                退出登录
              </button>
            </form>
          </header>
        ) : null}
        <main class="content">
          <h1>{title}</h1>
          {flash ? <FlashMessage flash={flash} /> : null}
          {children}
        </main>
      </body>
    </html>
  );
}
