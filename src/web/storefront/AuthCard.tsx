import { Card } from 'antd';
import type { ReactNode } from 'react';

/** The centered card of the login and register pages. */
export function AuthCard({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <div className="fm-auth">
      <Card className="fm-auth-card">
        <h1 className="fm-auth-title">{title}</h1>
        <p className="fm-auth-subtitle">{subtitle}</p>
        {children}
      </Card>
    </div>
  );
}
