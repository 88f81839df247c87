// The merchant side of product review (商品审核); merged into the messages in shared/i18n.ts.
export const reviewMerchantZhCN = {
  reviewMerchant: {
    title: '商品审核',
  },
};

export type ReviewMerchantMessages = typeof reviewMerchantZhCN;
