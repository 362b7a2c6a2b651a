'use client';
// The widget in a client component: imported at the top, so also on the server, where it must
// not touch `window`; used only in an effect, in the browser. What it records is what
// tests/package/app/main.js records.
import { useEffect, useState } from 'react';
import netlifyIdentity from 'netlify-identity-widget';

export default function Identity() {
  const [status, setStatus] = useState('loading');
  useEffect(() => {
    window.seen = [];
    netlifyIdentity.on('init', (user) => window.seen.push(`init:${user ? user.email : 'nobody'}`));
    netlifyIdentity.on('login', (user) => { window.seen.push(`login:${user.email}`); setStatus(`Hello ${user.email}`); });
    window.beforeInit = { global: typeof window.netlifyIdentity, hosts: document.querySelectorAll('#netlify-identity-widget').length };
    window.netlifyIdentity = netlifyIdentity;
    window.app = { currentUser: netlifyIdentity.currentUser };
    netlifyIdentity.init();
  }, []);
  return (<><nav data-netlify-identity-menu></nav><p id="status">{status}</p></>);
}
