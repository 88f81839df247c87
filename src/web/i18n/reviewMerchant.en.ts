import type { ReviewMerchantMessages } from './reviewMerchant.zh-CN';

export const reviewMerchantEn: ReviewMerchantMessages = {
  reviewMerchant: {
    title: 'Product review',
  },
};
