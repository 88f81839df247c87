import type { ReviewAdminMessages } from './reviewAdmin.zh-CN';

export const reviewAdminEn: ReviewAdminMessages = {
  reviewAdmin: {
    title: 'Product review',
  },
};
