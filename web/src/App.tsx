// Routes of the web app (docs/design.md, Routes): login, then the pages behind the menu. Every page
// is its own chunk, loaded when first visited (the designer's bpmn-js only on designer routes), and
// guarded by the roles that may use it (shell/roles.ts).
import { lazy, type ReactNode, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout, PageLoading } from './Layout.tsx';
import { SessionProvider, useSession } from './session.tsx';
import { Providers } from './shell/Providers.tsx';
import { landingOf, mayUse, type PageId, pageById } from './shell/roles.ts';

// A refusal's illustration (antd's Result with its 403, 404 and 500 drawings) loads only when shown.
const Refusal = lazy(() => import('./shell/Refusal.tsx').then((m) => ({ default: m.Refusal })));
const LoginPage = lazy(() => import('./features/auth/Login.tsx'));
const DesignerListPage = lazy(() => import('./features/designer/DesignerList.tsx'));
const DesignerEditPage = lazy(() => import('./features/designer/DesignerEdit.tsx'));
const FormsListPage = lazy(() => import('./features/forms/FormsList.tsx'));
const FormEditPage = lazy(() => import('./features/forms/FormEdit.tsx'));
const TaskFormPage = lazy(() => import('./features/forms/TaskForm.tsx'));
const TasksPage = lazy(() => import('./features/tickets/InboxPage.tsx'));
const PortalPage = lazy(() => import('./features/portal/PortalPage.tsx'));
const MyRequestsPage = lazy(() => import('./features/portal/MyRequestsPage.tsx'));
const TicketPage = lazy(() => import('./features/tickets/TicketPage.tsx'));
const ApprovalsPage = lazy(() => import('./features/approvals/ApprovalsPage.tsx'));
const AdminPage = lazy(() => import('./features/admin/AdminPage.tsx'));

function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

/** The page, for users whose roles may use it; a refusal naming the roles otherwise. */
function For({ page, children }: { page: PageId; children: ReactNode }) {
  const roles = useSession()?.user.roles ?? [];
  const entry = pageById(page);
  return mayUse(roles, entry) ? (
    children
  ) : (
    <Suspense fallback={null}>
      <Refusal page={entry} held={roles} />
    </Suspense>
  );
}

function Home() {
  const roles = useSession()?.user.roles ?? [];
  const landing = landingOf(roles);
  return landing ? (
    <Navigate to={landing} replace />
  ) : (
    <Suspense fallback={null}>
      <Refusal page={pageById('portal')} held={roles} />
    </Suspense>
  );
}

export function App() {
  return (
    <Providers>
      <SessionProvider>
        <BrowserRouter>
          <Routes>
            <Route
              path="/login"
              element={
                <Suspense fallback={<PageLoading />}>
                  <LoginPage />
                </Suspense>
              }
            />
            <Route
              element={
                <RequireSession>
                  <Layout />
                </RequireSession>
              }
            >
              <Route index element={<Home />} />
              <Route
                path="/portal"
                element={
                  <For page="portal">
                    <PortalPage />
                  </For>
                }
              />
              <Route
                path="/portal/requests"
                element={
                  <For page="myRequests">
                    <MyRequestsPage />
                  </For>
                }
              />
              <Route path="/tickets/:number" element={<TicketPage />} />
              <Route
                path="/approvals"
                element={
                  <For page="approvals">
                    <ApprovalsPage />
                  </For>
                }
              />
              <Route
                path="/tasks"
                element={
                  <For page="tasks">
                    <TasksPage />
                  </For>
                }
              />
              <Route
                path="/tasks/:id"
                element={
                  <For page="tasks">
                    <TaskFormPage />
                  </For>
                }
              />
              <Route
                path="/designer"
                element={
                  <For page="designer">
                    <DesignerListPage />
                  </For>
                }
              />
              <Route
                path="/designer/:key"
                element={
                  <For page="designer">
                    <DesignerEditPage />
                  </For>
                }
              />
              <Route
                path="/forms"
                element={
                  <For page="forms">
                    <FormsListPage />
                  </For>
                }
              />
              <Route
                path="/forms/:key"
                element={
                  <For page="forms">
                    <FormEditPage />
                  </For>
                }
              />
              <Route
                path="/admin/*"
                element={
                  <For page="admin">
                    <AdminPage />
                  </For>
                }
              />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </SessionProvider>
    </Providers>
  );
}
