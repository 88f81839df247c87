import { AppstoreOutlined, FileSearchOutlined, SearchOutlined } from '@ant-design/icons';
import { AutoComplete, Input } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { type Suggestion, useSuggestions } from './api';

/** Waits until typing pauses before asking for suggestions. */
function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function optionLabel(s: Suggestion) {
  const icon = s.kind === 'category' ? <AppstoreOutlined /> : s.kind === 'product' ? <FileSearchOutlined /> : <SearchOutlined />;
  return (
    <div className={`fm-suggest fm-suggest-${s.kind}`} data-testid="suggestion">
      {icon}
      <span className="fm-suggest-text">{s.text}</span>
      {s.kind === 'category' && s.path && s.path.length > 1 && <span className="fm-suggest-path">{s.path.slice(0, -1).join(' › ')}</span>}
    </div>
  );
}

/** The header's search box: suggestions while typing (popular queries, categories, products). */
export function HeaderSearch() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const current = location.pathname === '/search' ? (params.get('q') ?? '') : '';
  const [text, setText] = useState(current);
  useEffect(() => setText(current), [current]);
  const debounced = useDebounced(text, 120);
  const suggestions = useSuggestions(debounced);
  const items = text.trim() ? (suggestions.data ?? []) : [];

  const search = (value: string) => {
    const q = value.trim();
    void navigate(q ? `/search?q=${encodeURIComponent(q)}` : '/search');
  };
  const open = (s: Suggestion) => {
    if (s.kind === 'category' && s.id) void navigate(`/c/${s.id}`);
    else if (s.kind === 'product' && s.id) void navigate(`/p/${s.id}`);
    else search(s.text);
  };

  return (
    <AutoComplete
      className="fm-header-search"
      value={text}
      onChange={(v: string) => setText(v)}
      options={items.map((s, i) => ({ value: `${s.kind}:${i}:${s.text}`, label: optionLabel(s), suggestion: s }))}
      onSelect={(_value: string, option: { suggestion: Suggestion }) => {
        setText(option.suggestion.kind === 'query' ? option.suggestion.text : text);
        open(option.suggestion);
      }}
      popupMatchSelectWidth
      // Enter searches what was typed; a suggestion is taken by arrow keys or a click.
      defaultActiveFirstOption={false}
    >
      <Input.Search
        placeholder={t('header.searchPlaceholder')}
        enterButton={t('header.searchButton')}
        size="large"
        allowClear
        aria-label={t('header.searchButton')}
        onSearch={(value, _event, info) => {
          if (info?.source === 'clear') return;
          search(value);
        }}
      />
    </AutoComplete>
  );
}
