import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { PageHead } from '../../shared/PageHead';
import { NotFound } from '../../shared/StatusPages';
import { useTitle } from '../../shared/useTitle';
import { DashboardTab } from './DashboardTab';
import { QualificationsTab } from './QualificationsTab';
import { QueueTab } from './QueueTab';
import './review.css';
import { RulesTab } from './RulesTab';
import { TemplatesTab } from './TemplatesTab';

const TABS = ['queue', 'dashboard', 'rules', 'templates', 'qualifications'] as const;
type Tab = (typeof TABS)[number];

/**
 * 商品审核: the platform's review console at /admin/review (the manual queue) and
 * /admin/review/{dashboard,rules,templates,qualifications}.
 */
export function ReviewConsole() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { tab: raw } = useParams();
  const tab = (raw ?? 'queue') as Tab;
  useTitle(`${t(`reviewAdmin.tabs.${TABS.includes(tab) ? tab : 'queue'}`)} · ${t('reviewAdmin.title')}`);
  if (!TABS.includes(tab) || raw === 'queue') return <NotFound />;

  const body = {
    queue: <QueueTab />,
    dashboard: <DashboardTab />,
    rules: <RulesTab />,
    templates: <TemplatesTab />,
    qualifications: <QualificationsTab />,
  }[tab];
  return (
    <>
      <PageHead title={t('reviewAdmin.title')} note={t(`reviewAdmin.notes.${tab}`)} />
      <Tabs
        className="fm-review-tabs"
        activeKey={tab}
        onChange={(key) => void navigate(key === 'queue' ? '/admin/review' : `/admin/review/${key}`)}
        items={TABS.map((key) => ({ key, label: t(`reviewAdmin.tabs.${key}`) }))}
      />
      {body}
    </>
  );
}
