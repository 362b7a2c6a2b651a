// Typical consumer code, including every use DefinitelyTyped's netlify-identity-widget tests
// make, plus the precise types ours add. `@ts-expect-error` lines must stay errors.
import netlifyIdentity, { currentUser, logout, on, open, refresh, store, type User } from 'netlify-identity-widget';
import * as identity from 'netlify-identity-widget';

netlifyIdentity.init();
netlifyIdentity.init({});
identity.init({ container: 'body' });
identity.init({ APIUrl: 'https://www.example.com/.netlify/functions/identity' });
identity.init({ APIUrl: 'https://www.example.com/.netlify/identity', container: 'body', locale: 'fr', logo: false, namePlaceholder: 'Ada', cookieDomain: 'example.com' });

open();
open('signup');
open('signup', { full_name: 'Ada Lovelace' });
// @ts-expect-error: not a page of the dialog
open('settings');
netlifyIdentity.close();

on('open', (page) => page.toUpperCase());
on('close', () => {});
on('init', (user: User | null) => user?.email);
on('login', (user) => {
  const email: string = user.email;
  const roles: string[] = user.app_metadata.roles;
  user.jwt(true).then((token: string) => token.length);
  user.update({ data: { full_name: 'Ada' } }).then((updated) => updated.user_metadata?.full_name);
  return [email, roles];
});
on('logout', () => {});
on('error', (err) => err.message);
// @ts-expect-error: there is no such event
on('signin', () => {});
netlifyIdentity.off('login');

const user = currentUser();
if (user) {
  const expiresAt = user.tokenDetails().expires_at;
  user.admin.listUsers({ page: 1, perPage: 25, filter: 'ada' }).then(({ users, total }) => users.length + total);
  user.admin.exportUsers('csv').then((csv: string) => csv.split('\n'));
  user.admin.exportUsers().then((rows) => user.admin.importUsers(rows, { sendLinks: true, onProgress: ({ done, total, waitingSeconds }) => done / total + (waitingSeconds ?? 0) }))
    .then(({ created, skipped, failed, rows }) => rows.filter((row) => row.outcome === 'failed').map((row) => `${row.row} ${row.email}: ${row.reason}`).length + created + skipped + failed);
  user.admin.importUsers([{ email: 'ada@example.com', roles: 'admin;editor' }]);
  // @ts-expect-error: a row needs an email address
  user.admin.importUsers([{ name: 'Ada' }]);
  user.getUserData().then((fresh) => fresh.id);
  void expiresAt;
}
const logoutPromise = logout();
if (logoutPromise) logoutPromise.then(() => {});
refresh().then((token: string) => token);
netlifyIdentity.setLocale('de');

store.user = null;
const page: string = store.modal.page;
const open_: boolean = store.modal.isOpen;
store.loadSettings().then((settings) => settings.disable_signup);
netlifyIdentity.gotrue.login('ada@example.com', 'secret', true).then((u) => u.jwt());
const url: string = netlifyIdentity.gotrue.acceptInviteExternalUrl('github', 'token');
if (window.GoTrue) new window.GoTrue({ APIUrl: '/.netlify/identity', setCookie: true }).settings();
window.netlifyIdentity?.open('login');
void [page, open_, url];
