// Routes of the web app (docs/design.md, Routes): login, then the pages behind the left navigation.
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { LoginPage } from './features/auth/Login.tsx';
import { DesignerEditPage } from './features/designer/DesignerEdit.tsx';
import { DesignerListPage } from './features/designer/DesignerList.tsx';
import { FormEditPage } from './features/forms/FormEdit.tsx';
import { FormsListPage } from './features/forms/FormsList.tsx';
import { TaskFormPage } from './features/forms/TaskForm.tsx';
import { ApprovalsRoute, InboxRoute, MyRequestsRoute, PortalRoute, TicketRoute } from './features/tickets/routes.tsx';
import { Layout } from './Layout.tsx';
import { PlaceholderPage } from './pages/Placeholder.tsx';
import { hasRole, SessionProvider, useSession } from './session.tsx';

function RequireSession({ children }: { children: React.ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

function Home() {
  const session = useSession();
  if (hasRole(session, 'tenant-admin', 'process-owner')) return <Navigate to="/designer" replace />;
  if (hasRole(session, 'agent')) return <Navigate to="/tasks" replace />;
  return <Navigate to="/portal" replace />;
}

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route
            element={
              <RequireSession>
                <Layout />
              </RequireSession>
            }
          >
            <Route index element={<Home />} />
            <Route path="/designer" element={<DesignerListPage />} />
            <Route path="/designer/:key" element={<DesignerEditPage />} />
            <Route path="/forms" element={<FormsListPage />} />
            <Route path="/forms/:key" element={<FormEditPage />} />
            <Route path="/tasks" element={<InboxRoute />} />
            <Route path="/tasks/:id" element={<TaskFormPage />} />
            <Route path="/tickets/:number" element={<TicketRoute />} />
            <Route path="/portal" element={<PortalRoute />} />
            <Route path="/portal/requests" element={<MyRequestsRoute />} />
            <Route path="/approvals" element={<ApprovalsRoute />} />
            <Route path="/dashboards" element={<PlaceholderPage page="dashboards" />} />
            <Route path="/admin" element={<PlaceholderPage page="admin" />} />
            <Route path="*" element={<Navigate to="/" replace />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
