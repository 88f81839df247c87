import { DownOutlined, GlobalOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, useLanguage } from '../i18n';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [language],
        items: LANGUAGES.map((lng) => ({ key: lng, label: <span lang={lng}>{t(`languageNames.${lng}`)}</span> })),
        onClick: ({ key }) => setLanguage(key as (typeof LANGUAGES)[number]),
      }}
    >
      <Button type="text" size="small" icon={<GlobalOutlined />} aria-label={t('nav.language')} data-testid="language-switch">
        {t(`languageNames.${language}`)} <DownOutlined className="fm-caret" />
      </Button>
    </Dropdown>
  );
}
