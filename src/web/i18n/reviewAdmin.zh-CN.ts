// The admin side of product review (商品审核); merged into the messages in shared/i18n.ts.
export const reviewAdminZhCN = {
  reviewAdmin: {
    title: '商品审核',
  },
};

export type ReviewAdminMessages = typeof reviewAdminZhCN;
