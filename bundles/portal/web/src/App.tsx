import { lazy, Suspense, useMemo, useState } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { App as AntApp, Button, ConfigProvider, Grid, Layout, Menu, Segmented, Space, Spin, Typography } from 'antd';
import type { MenuProps } from 'antd';
import {
  AppstoreOutlined,
  CodeOutlined,
  DashboardOutlined,
  DesktopOutlined,
  FolderOutlined,
  LogoutOutlined,
  ScheduleOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useI18n } from './i18n/I18n';
import type { Lang } from './i18n/messages';
import { useAuth } from './auth';
import LoginPage from './pages/LoginPage';
import DashboardPage from './pages/DashboardPage';

// Every screen but the first ones is its own chunk; the heavy ones (CodeMirror, xterm, charts) load only when used.
const SubmitJobPage = lazy(() => import('./pages/jobs/SubmitJobPage'));
const RunningJobsPage = lazy(() => import('./pages/jobs/RunningJobsPage'));
const FinishedJobsPage = lazy(() => import('./pages/jobs/FinishedJobsPage'));
const TemplatesPage = lazy(() => import('./pages/jobs/TemplatesPage'));
const JobDetailPage = lazy(() => import('./pages/jobs/JobDetailPage'));
const FilesPage = lazy(() => import('./pages/files/FilesPage'));
const ShellPage = lazy(() => import('./pages/ShellPage'));
const AppsPage = lazy(() => import('./pages/apps/AppsPage'));
const DesktopsPage = lazy(() => import('./pages/desktops/DesktopsPage'));
const AppSessionsPage = lazy(() => import('./pages/admin/AppSessionsPage'));
const TenantsPage = lazy(() => import('./pages/admin/TenantsPage'));
const AccountsPage = lazy(() => import('./pages/admin/AccountsPage'));
const UsersPage = lazy(() => import('./pages/admin/UsersPage'));
const PricesPage = lazy(() => import('./pages/admin/PricesPage'));
const RecordsPage = lazy(() => import('./pages/admin/RecordsPage'));
const StatisticsPage = lazy(() => import('./pages/admin/StatisticsPage'));
const AuditPage = lazy(() => import('./pages/admin/AuditPage'));
const ImportPage = lazy(() => import('./pages/admin/ImportPage'));
const ClusterAccountsPage = lazy(() => import('./pages/admin/ClusterAccountsPage'));
const FederationPage = lazy(() => import('./pages/admin/FederationPage'));
const FederatedSubmitPage = lazy(() => import('./pages/jobs/FederatedSubmitPage'));

export default function App() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1677ff' } }}>
      <AntApp>
        <Shell />
      </AntApp>
    </ConfigProvider>
  );
}

function LanguageSwitch() {
  const { lang, setLang } = useI18n();
  return (
    <Segmented
      data-testid="lang-switch"
      size="small"
      value={lang}
      onChange={(value) => setLang(value as Lang)}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'English', value: 'en' },
      ]}
    />
  );
}

function Shell() {
  const { me, checking } = useAuth();
  const location = useLocation();
  if (checking) {
    return (
      <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}>
        <Spin size="large" />
      </div>
    );
  }
  if (!me) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage languageSwitch={<LanguageSwitch />} />} />
        <Route path="*" element={<Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />} />
      </Routes>
    );
  }
  return <MainLayout />;
}

function MainLayout() {
  const { t } = useI18n();
  const { me, has, logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const [collapsed, setCollapsed] = useState(false);
  const phone = !screens.md;

  const isPlatformAdmin = has('PLATFORM_ADMIN');
  const isPlatformFinance = has('PLATFORM_FINANCE', 'PLATFORM_ADMIN');
  const isTenantAdmin = has('TENANT_ADMIN', 'PLATFORM_ADMIN');
  const isTenantFinance = has('TENANT_FINANCE', 'TENANT_ADMIN', 'PLATFORM_ADMIN');

  const items = useMemo<MenuProps['items']>(() => {
    const admin: NonNullable<MenuProps['items']> = [];
    if (isPlatformAdmin) admin.push({ key: '/admin/tenants', label: t('nav.tenants') });
    if (isTenantFinance) admin.push({ key: '/admin/accounts', label: t('nav.accounts') });
    if (isTenantAdmin) admin.push({ key: '/admin/users', label: t('nav.users') });
    if (isPlatformAdmin) admin.push({ key: '/admin/cluster-accounts', label: t('nav.clusterAccounts') });
    if (isPlatformFinance) {
      admin.push({ key: '/admin/prices', label: t('nav.prices') });
      admin.push({ key: '/admin/records', label: t('nav.records') });
      admin.push({ key: '/admin/statistics', label: t('nav.statistics') });
      admin.push({ key: '/admin/federation', label: t('nav.federation') });
    }
    if (isPlatformAdmin) {
      admin.push({ key: '/admin/import', label: t('nav.import') });
      admin.push({ key: '/admin/audit', label: t('nav.audit') });
      admin.push({ key: '/admin/app-sessions', label: t('nav.appSessions') });
    }
    return [
      { key: '/', icon: <DashboardOutlined />, label: t('nav.dashboard') },
      {
        key: 'jobs',
        icon: <ScheduleOutlined />,
        label: t('nav.jobs'),
        children: [
          { key: '/jobs/submit', label: t('nav.submit') },
          { key: '/jobs/federated', label: t('nav.federatedSubmit') },
          { key: '/jobs/running', label: t('nav.running') },
          { key: '/jobs/finished', label: t('nav.finished') },
          { key: '/jobs/templates', label: t('nav.templates') },
        ],
      },
      { key: '/files', icon: <FolderOutlined />, label: t('nav.files') },
      { key: '/shell', icon: <CodeOutlined />, label: t('nav.shell') },
      { key: '/apps', icon: <AppstoreOutlined />, label: t('nav.apps') },
      { key: '/desktops', icon: <DesktopOutlined />, label: t('nav.desktops') },
      ...(admin.length ? [{ key: 'admin', icon: <SettingOutlined />, label: t('nav.admin'), children: admin }] : []),
    ];
  }, [t, isPlatformAdmin, isPlatformFinance, isTenantAdmin, isTenantFinance]);

  const selected = '/' + location.pathname.split('/').filter(Boolean).slice(0, 2).join('/');
  const top = '/' + (location.pathname.split('/')[1] ?? '');

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        breakpoint="md"
        collapsedWidth={phone ? 0 : 64}
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={208}
        theme="light"
        zeroWidthTriggerStyle={{ top: 12 }}
        style={phone ? { position: 'fixed', zIndex: 20, height: '100vh', overflow: collapsed ? 'hidden' : 'auto' } : undefined}
      >
        <div style={{ padding: '16px', fontWeight: 700, fontSize: 18, whiteSpace: 'nowrap', overflow: 'hidden' }}>
          <AppstoreOutlined /> {collapsed ? '' : 'SCOW'}
        </div>
        <Menu
          data-testid="nav"
          mode="inline"
          selectedKeys={[selected, top]}
          defaultOpenKeys={['jobs', 'admin']}
          items={items}
          onClick={({ key }) => {
            navigate(key);
            if (phone) setCollapsed(true);
          }}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: phone ? '0 8px 0 56px' : '0 16px',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            gap: 12,
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Space wrap size="small">
            <LanguageSwitch />
            <Typography.Text data-testid="current-user" strong>
              {me?.user}
            </Typography.Text>
            <Button
              data-testid="logout"
              icon={<LogoutOutlined />}
              onClick={async () => {
                await logout();
                navigate('/login');
              }}
            >
              {phone ? null : t('auth.logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: phone ? 8 : 24, minWidth: 0 }}>
          <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
            <Routes>
              <Route path="/" element={<DashboardPage />} />
              <Route path="/login" element={<Navigate to="/" replace />} />
              <Route path="/jobs" element={<Navigate to="/jobs/running" replace />} />
              <Route path="/jobs/submit" element={<SubmitJobPage />} />
              <Route path="/jobs/federated" element={<FederatedSubmitPage />} />
              <Route path="/jobs/running" element={<RunningJobsPage />} />
              <Route path="/jobs/finished" element={<FinishedJobsPage />} />
              <Route path="/jobs/templates" element={<TemplatesPage />} />
              <Route path="/jobs/:cluster/:jobId" element={<JobDetailPage />} />
              <Route path="/files" element={<FilesPage />} />
              <Route path="/shell" element={<ShellPage />} />
              <Route path="/apps" element={<AppsPage />} />
              <Route path="/desktops" element={<DesktopsPage />} />
              <Route path="/admin/tenants" element={<TenantsPage />} />
              <Route path="/admin/accounts" element={<AccountsPage />} />
              <Route path="/admin/users" element={<UsersPage />} />
              <Route path="/admin/cluster-accounts" element={<ClusterAccountsPage />} />
              <Route path="/admin/prices" element={<PricesPage />} />
              <Route path="/admin/records" element={<RecordsPage />} />
              <Route path="/admin/statistics" element={<StatisticsPage />} />
              <Route path="/admin/import" element={<ImportPage />} />
              <Route path="/admin/audit" element={<AuditPage />} />
              <Route path="/admin/federation" element={<FederationPage />} />
              <Route path="/admin/app-sessions" element={<AppSessionsPage />} />
              <Route path="*" element={<NotFound />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

function NotFound() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Space direction="vertical">
      <Typography.Title level={3}>{t('common.pageNotFound')}</Typography.Title>
      <Button onClick={() => navigate('/')}>{t('nav.dashboard')}</Button>
    </Space>
  );
}
