// The ITSM pages as lazily loaded route elements: each page's code (and antd's parts it uses, and
// the process viewer) loads when the route is first opened, behind its own Suspense.
import { Skeleton } from 'antd';
import { type ComponentType, type LazyExoticComponent, lazy, Suspense } from 'react';

const page = (Page: LazyExoticComponent<ComponentType>) =>
  function LazyPage() {
    return (
      <Suspense fallback={<Skeleton active />}>
        <Page />
      </Suspense>
    );
  };

export const InboxRoute = page(lazy(() => import('./InboxPage.tsx')));
export const TicketRoute = page(lazy(() => import('./TicketPage.tsx')));
export const PortalRoute = page(lazy(() => import('../portal/PortalPage.tsx')));
export const MyRequestsRoute = page(lazy(() => import('../portal/MyRequestsPage.tsx')));
export const ApprovalsRoute = page(lazy(() => import('../approvals/ApprovalsPage.tsx')));
