import {
  CoffeeOutlined,
  HeartOutlined,
  HomeOutlined,
  LaptopOutlined,
  MobileOutlined,
  ReadOutlined,
  SkinOutlined,
  SmileOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

// Placeholder categories for the home page until the catalog module serves the real tree.
export const HOME_CATEGORIES = [
  { key: 'fashion', icon: <SkinOutlined /> },
  { key: 'digital', icon: <MobileOutlined /> },
  { key: 'appliances', icon: <LaptopOutlined /> },
  { key: 'beauty', icon: <HeartOutlined /> },
  { key: 'food', icon: <CoffeeOutlined /> },
  { key: 'home', icon: <HomeOutlined /> },
  { key: 'baby', icon: <SmileOutlined /> },
  { key: 'sports', icon: <TrophyOutlined /> },
  { key: 'books', icon: <ReadOutlined /> },
] as const satisfies readonly { key: string; icon: ReactNode }[];
