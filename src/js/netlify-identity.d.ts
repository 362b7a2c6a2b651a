// Types of gotrue-widget's netlify-identity-widget API. They accept everything
// @types/netlify-identity-widget accepts, and type the user's methods, every event,
// the store and the gotrue-js client.

/** Options of `init()`; unknown keys are ignored. */
export interface InitOptions {
  /** Where the widget's host element goes: a selector or an element. Defaults to `document.body`. */
  container?: string | Element | undefined;
  /** The GoTrue API root. Defaults to `/.netlify/identity` on the page's origin. */
  APIUrl?: string | undefined;
  /** An image URL shown at the top of the dialog (`true`, the old Netlify logo, shows none). */
  logo?: boolean | string | undefined;
  /** Locale code (`fr`, `zhCN`, `pt-BR`…) or `auto` for the browser's. Defaults to `en`. */
  locale?: string | undefined;
  /** Placeholder of the signup form's name field. */
  namePlaceholder?: string | undefined;
  /** Domain for the `nf_jwt` and `nf_refresh` cookies; must not contain `;`, CR or LF. */
  cookieDomain?: string | undefined;
  /**
   * GoTrue sets `nf_jwt` itself, HttpOnly, and no `nf_refresh` is written: the page's scripts
   * (`@netlify/identity` among them) read neither. Defaults to false: the widget writes both,
   * readable, in step with the session.
   */
  httpOnlyCookie?: boolean | undefined;
  /** `light` or `dark` instead of the system's scheme. Defaults to `auto`. */
  theme?: 'auto' | 'light' | 'dark' | undefined;
  /** Site name at the top of the dialog. */
  siteName?: string | undefined;
  /** Extra signup fields, saved in `user_metadata`. */
  signupFields?: SignupField[] | undefined;
  /** A required consent checkbox; the signup saves `user_metadata.consent_at`. */
  consent?: boolean | { termsUrl?: string; privacyUrl?: string; label?: LocalText } | undefined;
  /** Close the dialog after a login. Defaults to false. */
  closeAfterLogin?: boolean | undefined;
  /** Go to this URL after a login. */
  redirectAfterLogin?: string | undefined;
  /**
   * The identity-admin Netlify Function (`build/functions/`), e.g.
   * `/.netlify/functions/identity-admin`: user management's calls go there, and it is shown to
   * users whose token holds one of `adminRoles`. Also the script tag's `data-admin-url`.
   * Defaults to none: calls go to GoTrue, shown to users whose `role` is GoTrue's `admin` group.
   */
  adminUrl?: string | undefined;
  /** The server's flavour: `'netlify'` (netlify/gotrue) or `'supabase'` (supabase/auth). Defaults to what `/settings` says. */
  backend?: 'netlify' | 'supabase' | undefined;
  /** A hosted Supabase project's public (anon or publishable) key, sent as `apikey` with every API request, which its gateway requires. Defaults to none. */
  apiKey?: string | undefined;
  /**
   * The URL of the folder holding the widget's files (the wasm, its chunks, `locales/`), for an
   * npm bundle that cannot find them itself: a bundler that copies none of them (esbuild, Rollup
   * without an asset plugin) or an IIFE bundle. Copy `node_modules/netlify-identity-widget/build/`
   * there. Defaults to where the bundler put them (`new URL(…, import.meta.url)`), or beside the
   * script for a script tag.
   */
  assetsUrl?: string | undefined;
  /** `'pkce'` on supabase/auth: emailed links bring back a one-time code only this browser can exchange, never tokens. Defaults to `'implicit'`. */
  flowType?: 'implicit' | 'pkce' | undefined;
  /** With `adminUrl`, the `app_metadata.roles` that see user management (or a comma-separated list; also `data-admin-roles`). Defaults to `['admin']`. */
  adminRoles?: string[] | string | undefined;
}

/** A text per locale (`{en: 'Company', fr: 'Société'}`), or one text for all. */
export type LocalText = string | { [locale: string]: string };

/** One extra signup field (`init({signupFields})`). */
export interface SignupField {
  /** The `user_metadata` member it fills. */
  name: string;
  label?: LocalText;
  /** Defaults to `text`. */
  type?: 'text' | 'checkbox' | 'select';
  /** For `select`: values, or values with labels. */
  options?: Array<string | { value: string; label?: LocalText }>;
  required?: boolean;
}

export interface Token {
  access_token: string;
  token_type: string;
  expires_in: string | number;
  refresh_token: string;
  /** Milliseconds since the epoch (the access token's `exp` × 1000). */
  expires_at: string | number;
}

/** Attributes of `user.update()` (`PUT /user`). `data` merges into `user_metadata`. */
export interface UserAttributes {
  email?: string;
  password?: string;
  email_change_token?: string;
  data?: Record<string, unknown>;
}

/** `user.admin`: calls with the user's token; the server decides who may. */
export interface Admin {
  isAdmin(): Promise<boolean>;
  listUsers(options?: { page?: number; perPage?: number; filter?: string; sort?: 'newest' | 'oldest' | 'email' | 'name' } | string): Promise<{ users: UserData[]; total: number; filtered_locally: boolean }>;
  getUser(user: string | { id: string }): Promise<UserData>;
  updateUser(user: string | { id: string }, attributes: Record<string, unknown>): Promise<UserData>;
  createUser(email: string, password: string, attributes?: Record<string, unknown>): Promise<UserData>;
  deleteUser(user: string | { id: string }): Promise<{}>;
  inviteUser(email: string, data?: Record<string, unknown>): Promise<UserData>;
  sendRecoveryEmail(user: string | { email: string }): Promise<{}>;
  exportUsers(format: 'csv'): Promise<string>;
  exportUsers(format?: 'json'): Promise<ExportedUser[]>;
  /**
   * Creates each user of an export (`exportUsers('json')`, or the file it downloads), or of
   * GoTrue's `users` table, as they were; those already there are skipped, so a second run
   * creates nobody twice. On supabase/auth a row's `id` and `encrypted_password` are kept.
   */
  importUsers(records: Array<ExportedUser | UsersTableRow | (Partial<ExportedUser> & { email: string })>, options?: ImportOptions): Promise<ImportReport>;
}

/** One row of `exportUsers('json')`: what a site needs to move its users elsewhere. */
export interface ExportedUser {
  id: string;
  email: string;
  /** `user_metadata.full_name`. */
  name: string;
  /** `app_metadata.roles`; an import also takes them joined with `;`, as the CSV has them. */
  roles: string[] | string;
  provider: string;
  /** Empty when the user never confirmed; an import creates them unconfirmed then. */
  confirmed_at: string;
  created_at: string;
  last_sign_in_at: string;
}

/**
 * One row of GoTrue's `users` table, as a database tool writes it; other columns are ignored.
 * The metadata columns may be objects or their JSON text.
 */
export interface UsersTableRow {
  id?: string;
  email: string;
  /** bcrypt or argon2: the user keeps their password where the server takes it (supabase/auth). */
  encrypted_password?: string | null;
  /** netlify/gotrue's column; supabase/auth's is `email_confirmed_at`. */
  confirmed_at?: string | null;
  email_confirmed_at?: string | null;
  invited_at?: string | null;
  raw_user_meta_data?: Record<string, unknown> | string | null;
  raw_app_meta_data?: Record<string, unknown> | string | null;
}

/** Options of `importUsers`. */
export interface ImportOptions {
  /** Mail each new user who brings no password a link to set one (paced to the server's mail limit). Defaults to `false`. */
  sendLinks?: boolean;
  /** Called after each row, and while the server's mail limit is waited out. */
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  done: number;
  total: number;
  /** Present while the import waits for the server's mail limit. */
  waitingSeconds?: number;
}

/** What became of each row of an import. */
export interface ImportReport {
  created: number;
  skipped: number;
  failed: number;
  rows: Array<{
    /** The row's place in the records, counted from 1. */
    row: number;
    email: string;
    outcome: 'created' | 'skipped' | 'failed';
    /** The user kept their password: the server took its hash. */
    password_kept?: boolean;
    /** With `sendLinks`: whether the new user's link was mailed. */
    link_sent?: boolean;
    /** Why a row failed, in the widget's language. */
    reason?: string;
  }>;
}

/** A user as `GET /user` returns it. */
export interface UserData {
  id: string;
  aud: string;
  role: string;
  email: string;
  confirmed_at: string;
  created_at: string;
  updated_at: string;
  invited_at: string;
  recovery_sent_at: string;
  confirmation_sent_at?: string;
  last_sign_in_at?: string;
  new_email?: string;
  app_metadata: {
    provider: string;
    roles: string[];
    [key: string]: unknown;
  };
  user_metadata: {
    avatar_url?: string;
    full_name?: string;
    [key: string]: unknown;
  } | null;
}

/** The logged-in user: the stored record's fields plus gotrue-js's methods. */
export interface User extends UserData {
  api: {
    _sameOrigin?: boolean | undefined;
    apiURL: string;
    defaultHeaders: { [header: string]: string | string[] | undefined };
  };
  audience?: any;
  token?: Token | undefined;
  /** The API URL the session belongs to. */
  url: string;
  /** The access token, refreshed first when it expires within a minute (or when forced). */
  jwt(force?: boolean): Promise<string>;
  update(attributes: UserAttributes): Promise<User>;
  getUserData(): Promise<User>;
  tokenDetails(): Token;
  logout(): Promise<void>;
  clearSession(): void;
  readonly admin: Admin;
}

/** Options of `new GoTrue(options)` (`window.GoTrue`). */
export interface GoTrueOptions {
  /** The API root. Defaults to `/.netlify/identity`. */
  APIUrl?: string;
  /** Sent as `X-JWT-AUD`. Defaults to none. */
  audience?: string;
  /** Ask GoTrue for the `nf_jwt` cookie on remembered logins. Defaults to false. */
  setCookie?: boolean;
}

/** `window.GoTrue`, set by the widget as gotrue-js set it. */
export interface GoTrueConstructor {
  new (options?: GoTrueOptions): GoTrue;
}

/** gotrue-js's client: `netlifyIdentity.gotrue`, or `new window.GoTrue(options)`. */
export interface GoTrue {
  api: { apiURL: string; defaultHeaders: Record<string, string>; _sameOrigin?: boolean };
  audience: string;
  setCookie: boolean;
  settings(): Promise<Settings>;
  signup(email: string, password: string, data?: Record<string, unknown>): Promise<UserData>;
  login(email: string, password: string, remember?: boolean): Promise<User>;
  confirm(token: string, remember?: boolean): Promise<User>;
  recover(token: string, remember?: boolean): Promise<User>;
  requestPasswordRecovery(email: string): Promise<{}>;
  acceptInvite(token: string, password: string, remember?: boolean): Promise<User>;
  acceptInviteExternalUrl(provider: string, token: string): string;
  loginExternalUrl(provider: string): string;
  verify(type: 'signup' | 'recovery' | 'email_change' | string, token: string, remember?: boolean): Promise<User>;
  createUser(tokenResponse: { access_token: string; token_type?: string; expires_in?: number; refresh_token?: string }, remember?: boolean): Promise<User>;
  currentUser(): User | null;
}

/** `GET /settings`. */
export interface Settings {
  external: { [provider: string]: boolean };
  external_labels?: { [provider: string]: string };
  disable_signup: boolean;
  autoconfirm: boolean;
}

/** `netlifyIdentity.store`, as the old widget's store. */
export interface Store {
  /** Assigning `null` logs the UI out and fires `logout`. */
  user: User | null;
  saving: boolean;
  modal: { page: string; readonly isOpen: boolean };
  settings: Settings | null;
  invite_token: string | null;
  readonly gotrue: GoTrue;
  loadSettings(): Promise<Settings>;
}

export type Page = 'login' | 'signup' | 'error' | 'users';

/** Initialises the widget; a second call applies new options without duplicating the UI. */
export function init(opts?: InitOptions): void;
/** Opens the dialog on `tabName` (default `login`); `metadata` pre-fills signup. */
export function open(tabName?: Page, metadata?: Record<string, unknown>): void;
export function close(): void;
export function currentUser(): User | null;
export function on(event: 'init', cb: (user: User | null) => void): void;
export function on(event: 'login', cb: (user: User) => void): void;
export function on(event: 'open', cb: (page: string) => void): void;
export function on(event: 'logout' | 'close', cb: () => void): void;
export function on(event: 'error', cb: (err: Error) => void): void;
export function off(event: 'init', cb?: (user: User | null) => void): void;
export function off(event: 'login', cb?: (user: User) => void): void;
export function off(event: 'open', cb?: (page: string) => void): void;
export function off(event: 'logout' | 'close', cb?: () => void): void;
export function off(event: 'error', cb?: (err: Error) => void): void;
/** A promise while someone is logged in, else `undefined`. */
export function logout(): Promise<void> | undefined;
export function setLocale(locale: string): void;
/** The current access token, refreshed when needed; rejects when nobody is logged in. */
export function refresh(force?: boolean): Promise<string>;
export const store: Store;
export const gotrue: GoTrue;

declare const netlifyIdentity: {
  init: typeof init;
  open: typeof open;
  close: typeof close;
  currentUser: typeof currentUser;
  on: typeof on;
  off: typeof off;
  logout: typeof logout;
  setLocale: typeof setLocale;
  refresh: typeof refresh;
  store: Store;
  gotrue: GoTrue;
};
export default netlifyIdentity;

declare global {
  interface Window {
    netlifyIdentity?: typeof netlifyIdentity;
    GoTrue?: GoTrueConstructor;
  }
}
