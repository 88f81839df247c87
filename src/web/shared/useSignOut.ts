import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useLogout } from './auth';
import { useErrorMessage } from './errors';

/** Logs out, lands on the home page and says so. */
export function useSignOut(): () => Promise<void> {
  const logout = useLogout();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  return async () => {
    // Leave first, committed before the user is forgotten: a guarded page still on screen
    // would otherwise send the user to /login.
    await navigate('/', { flushSync: true });
    try {
      await logout.mutateAsync();
      void message.success(t('auth.loggedOut'));
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };
}
