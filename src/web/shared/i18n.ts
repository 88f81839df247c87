import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { aftersalesEn } from '../i18n/aftersales.en';
import { aftersalesZhCN, type AftersalesMessages } from '../i18n/aftersales.zh-CN';
import { analyticsEn } from '../i18n/analytics.en';
import { analyticsZhCN, type AnalyticsMessages } from '../i18n/analytics.zh-CN';
import { commerceEn } from '../i18n/commerce.en';
import { commerceZhCN, type CommerceMessages } from '../i18n/commerce.zh-CN';
import { en } from '../i18n/en';
import { reviewAdminEn } from '../i18n/reviewAdmin.en';
import { reviewAdminZhCN, type ReviewAdminMessages } from '../i18n/reviewAdmin.zh-CN';
import { reviewMerchantEn } from '../i18n/reviewMerchant.en';
import { reviewMerchantZhCN, type ReviewMerchantMessages } from '../i18n/reviewMerchant.zh-CN';
import { trackingEn } from '../i18n/tracking.en';
import { trackingZhCN, type TrackingMessages } from '../i18n/tracking.zh-CN';
import { storefrontEn } from '../i18n/storefront.en';
import { storefrontZhCN, type StorefrontMessages } from '../i18n/storefront.zh-CN';
import { zhCN, type Messages } from '../i18n/zh-CN';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages & CommerceMessages & StorefrontMessages & TrackingMessages & ReviewAdminMessages & ReviewMerchantMessages & AftersalesMessages & AnalyticsMessages };
  }
}

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const DEFAULT_LANGUAGE: Language = 'zh-CN';
const STORAGE_KEY = 'flowmart.lang';

function isLanguage(value: unknown): value is Language {
  return LANGUAGES.includes(value as Language);
}

// Chinese unless the user picked English before; the browser's language is deliberately ignored.
function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE; // storage can be disabled (private mode, strict settings)
  }
}

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: { ...zhCN, ...commerceZhCN, ...storefrontZhCN, ...trackingZhCN, ...reviewAdminZhCN, ...reviewMerchantZhCN, ...aftersalesZhCN, ...analyticsZhCN } }, en: { translation: { ...en, ...commerceEn, ...storefrontEn, ...trackingEn, ...reviewAdminEn, ...reviewMerchantEn, ...aftersalesEn, ...analyticsEn } } },
  lng: storedLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: LANGUAGES,
  interpolation: { escapeValue: false }, // React escapes already
  initAsync: false, // resources are bundled: be ready before the first render
  showSupportNotice: false,
});

export function setLanguage(lng: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // not persisted; the switch still applies to this page
  }
  void i18n.changeLanguage(lng);
}

/** The active language, re-rendering the caller when it changes. */
export function useLanguage(): Language {
  const { i18n: instance } = useTranslation();
  return isLanguage(instance.resolvedLanguage) ? instance.resolvedLanguage : DEFAULT_LANGUAGE;
}

export { i18n };
