// `npm start`: the demo page with the widget, a local GoTrue and the inbox, until Ctrl-C.
// `npm start -- --backend=supabase` runs it on supabase/auth instead of netlify/gotrue.
import { startStack } from './stack.mjs';

const port = Number(process.env.PORT || 8888);
const backendArgument = process.argv.find((arg) => arg.startsWith('--backend='));
const backend = backendArgument ? backendArgument.slice('--backend='.length) : 'netlify';
// supabase/auth's passkeys (and its two-step sign-in, on by default) on the demo: at `localhost`.
const stack = await startStack({ port, backend, passkeys: true });
const site = backend === 'supabase' ? stack.localhostUrl : stack.url;
const server = backend === 'supabase' ? 'supabase/auth on PostgreSQL' : 'netlify/gotrue on MariaDB';
const credential = backend === 'supabase' ? 'service_role JWT' : 'Operator token';
console.log(`
  Demo:        ${site}/   (${server}${backend === 'supabase' ? ', with passkeys and two-step sign-in' : ''})
  Inbox:       ${stack.url}/_inbox/   (JSON: ${stack.url}/_inbox/api/messages)
  GoTrue API:  ${stack.apiUrl}
  ${credential} (admin API, e.g. POST ${stack.apiUrl}/invite): ${stack.operatorToken}
${backend === 'netlify' ? `  Admin function: ${stack.url}/.netlify/functions/identity-admin   (build/functions/, as on Netlify)
  Make someone an administrator: npm run make-admin -- EMAIL   (the admin role; log in again)
` : ''}
  Press Ctrl-C to stop.`);
const stop = async () => { await stack.close(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
